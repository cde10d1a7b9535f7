/** @module The agent config's `writeback` section, as the executor sees it. */

/** How the agent treats password operations; parsed from agent.config.json with defaults. */
export interface WritebackSettings {
  /** Off: the agent registers no handler, so the tenant gets IDB_ERR_AGENT_UNSUPPORTED. */
  readonly enabled: boolean
  /**
   * A reset on a DC without the policy-hints control skips history and minimum age. `proceed`
   * (default; Samba never has it) resets anyway and reports historyEnforced false; `refuse`
   * answers IDB_ERR_WB_NO_POLICY_CONTROL with event 6329, as Entra Connect does.
   */
  readonly withoutPolicyHints: 'proceed' | 'refuse'
}

export const defaultWritebackSettings: WritebackSettings = { enabled: true, withoutPolicyHints: 'proceed' }
