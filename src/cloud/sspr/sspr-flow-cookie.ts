/** @module Finds and saves a reset flow by the browser's flow cookie; the store only sees the cookie's digest. */
import { createHash, randomBytes } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { IdbridgeError } from '../../errors/idbridge-error.ts'
import type { SsprFlowRecord } from '../../store/sspr-records.ts'
import type { CloudDeps, CloudEnv } from '../web/cloud-deps.ts'
import { type SsprFlowState, ssprFlowStateSchema } from './sspr-flow-state.ts'

export const FLOW_COOKIE = '__Host-idb_sspr'

const digest = (token: string) => createHash('sha256').update(token).digest('base64url')

export interface LoadedFlow {
  readonly record: SsprFlowRecord
  readonly state: SsprFlowState
}

export async function startFlow(c: Context<CloudEnv>, deps: CloudDeps, state: SsprFlowState): Promise<void> {
  const token = randomBytes(32).toString('base64url')
  const minutes = deps.config.sspr.flowMinutes
  await deps.store.ssprFlows.create({
    idHash: digest(token),
    tenantId: c.get('tenant').id,
    state,
    expiresAt: deps.clock.now() + minutes * 60_000,
  })
  setCookie(c, FLOW_COOKIE, token, { path: '/', secure: true, httpOnly: true, sameSite: 'Strict', maxAge: minutes * 60 })
}

/** The flow of this browser; SSPR_FLOW_EXPIRED when it has none or it ran out. */
export async function loadFlow(c: Context<CloudEnv>, deps: CloudDeps): Promise<LoadedFlow> {
  const token = getCookie(c, FLOW_COOKIE)
  const record = token ? await deps.store.ssprFlows.get(c.get('tenant').id, digest(token), deps.clock.now()) : undefined
  if (!record) throw new IdbridgeError('SSPR_FLOW_EXPIRED', { detail: token ? 'unknown or expired flow' : 'no flow cookie' })
  const parsed = ssprFlowStateSchema.safeParse(record.state)
  if (!parsed.success) throw new IdbridgeError('SSPR_FLOW_EXPIRED', { detail: 'unreadable flow state' })
  return { record, state: parsed.data }
}

/** Saves the next state; a concurrent request that saved first wins and this one reads as expired. */
export async function saveFlow(deps: CloudDeps, flow: LoadedFlow, state: SsprFlowState): Promise<LoadedFlow> {
  const saved = await deps.store.ssprFlows.update(flow.record, state)
  if (!saved.ok) throw new IdbridgeError('SSPR_FLOW_EXPIRED', { detail: 'the step was submitted twice' })
  return { record: saved.value, state }
}

export async function endFlow(c: Context<CloudEnv>, deps: CloudDeps, flow: LoadedFlow): Promise<void> {
  await deps.store.ssprFlows.delete(flow.record.idHash)
  deleteCookie(c, FLOW_COOKIE, { path: '/', secure: true })
}
