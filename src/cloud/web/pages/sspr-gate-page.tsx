/** @module A verification gate: choose a method, then enter its code or answers. */
import type { Tenant } from '../../../store/store-records.ts'
import type { VerificationMethod } from '../../sspr/sspr-flow-state.ts'
import { CSRF_FIELD } from '../form-csrf.ts'
import { FormAlert, type FormError } from './form-alert.tsx'
import { Layout } from './layout.tsx'

export interface GateChoice {
  readonly method: VerificationMethod
  readonly label: string
}

export interface GatePageProps {
  readonly tenant: Tenant
  readonly csrf: string
  /** 1-based: which gate of how many. */
  readonly gate: number
  readonly gates: number
  readonly choices: readonly GateChoice[]
  /** Set once a method is chosen: the prompt for its code, or the questions to answer. */
  readonly pending?: { method: VerificationMethod; prompt: string; questions: readonly { id: string; text: string }[] }
  readonly error?: FormError
}

export function SsprGatePage(props: GatePageProps) {
  const base = `/t/${props.tenant.name}/sspr/verify`
  return (
    <Layout title="Verify your identity" tenantName={props.tenant.displayName}>
      <h1>Verify your identity</h1>
      <p>
        Verification step {props.gate} of {props.gates}.
      </p>
      {props.error && <FormAlert error={props.error} />}
      {props.pending ? (
        <form method="post" action={`${base}/answer`}>
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <p>{props.pending.prompt}</p>
          {props.pending.method === 'questions' ? (
            props.pending.questions.map((q, i) => (
              <>
                <label for={`answer${i}`}>{q.text}</label>
                <input id={`answer${i}`} name={`answer${i}`} type="text" autocomplete="off" required maxlength={40} />
              </>
            ))
          ) : (
            <>
              <label for="code">Verification code</label>
              <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength={12} />
            </>
          )}
          <button type="submit">Verify</button>
        </form>
      ) : (
        <form method="post" action={base}>
          <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
          <fieldset>
            <legend>Choose the contact method we should use for verification</legend>
            {props.choices.map((choice, i) => (
              <div>
                <input type="radio" id={`method-${choice.method}`} name="method" value={choice.method} checked={i === 0} />
                <label for={`method-${choice.method}`}>{choice.label}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">Continue</button>
        </form>
      )}
      <p>
        <a href={`/t/${props.tenant.name}/sspr`}>Start over</a>
      </p>
    </Layout>
  )
}
