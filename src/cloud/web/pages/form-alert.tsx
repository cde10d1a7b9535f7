/** @module The alert a form shows above itself: the safe message, the code, the support code and the admin hint. */
import { type ErrorCode, errorCatalogue } from '../../../errors/error-catalogue.ts'

export interface FormError {
  readonly code: ErrorCode
  readonly supportCode: string
  /** A precise, user-safe addition, such as which on-premises rule failed. */
  readonly hint?: string
  /** For the admin: the agent's code and event behind an SSPR code. */
  readonly agentCode?: ErrorCode
  readonly eventId?: number
}

export function FormAlert(props: { error: FormError }) {
  const { code, supportCode, hint, agentCode, eventId } = props.error
  return (
    <div role="alert" class="error">
      <p>{errorCatalogue[code].message}</p>
      {hint && <p class="hint">{hint}</p>}
      <p class="codes">
        Error code {code}. Support code {supportCode}.
      </p>
      <p class="admin-hint">
        Administrators: {agentCode ? `${agentCode}${eventId ? `, agent event ${eventId}` : ''}. ` : ''}
        <a href={`/docs/troubleshooting#${agentCode ?? code}`}>
          troubleshooting
        </a>
        .
      </p>
    </div>
  )
}
