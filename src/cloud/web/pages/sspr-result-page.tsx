/** @module The result of a reset, unlock or change, shown in the same page load as the submit. */
import type { Tenant } from '../../../store/store-records.ts'
import type { PasswordOutcome } from '../../sspr/password-service.ts'
import { FormAlert, type FormError } from './form-alert.tsx'
import { Layout } from './layout.tsx'

const headings = {
  reset: 'Your password has been reset',
  unlock: 'Your account has been unlocked',
  change: 'Your password has been changed',
} as const

export function SsprResultPage(props: {
  tenant: Tenant
  kind: keyof typeof headings
  outcome?: PasswordOutcome
  error?: FormError
}) {
  const { outcome } = props
  return (
    <Layout title={props.error ? 'We could not finish' : headings[props.kind]} tenantName={props.tenant.displayName}>
      {props.error ? (
        <>
          <h1>We could not finish</h1>
          <FormAlert error={props.error} />
        </>
      ) : (
        <>
          <h1>{headings[props.kind]}</h1>
          <div role="status">
            {props.kind !== 'unlock' && <p>Sign in with your new password. Other sessions have been signed out.</p>}
            {props.kind === 'unlock' && <p>Sign in with your current password.</p>}
            {outcome?.onPremises && <p>The change was made in your organization's Active Directory.</p>}
            {outcome?.onPremises && props.kind === 'reset' && outcome.unlocked && <p>Your account is unlocked.</p>}
            {outcome?.onPremises && props.kind !== 'unlock' && !outcome.historyEnforced && (
              <p class="hint">
                Note: your organization's domain controller does not support the password-history control, so
                password history was not checked for this reset.
              </p>
            )}
            {outcome?.trackingId && <p class="codes">Tracking id {outcome.trackingId}.</p>}
          </div>
        </>
      )}
      <p>
        <a href={`/t/${props.tenant.name}/signin`}>Sign in</a>
      </p>
    </Layout>
  )
}
