/** @module The last steps: reset or unlock, then "Choose a new password". */
import type { Tenant } from '../../../store/store-records.ts'
import { CSRF_FIELD } from '../form-csrf.ts'
import { FormAlert, type FormError } from './form-alert.tsx'
import { Layout } from './layout.tsx'

export function SsprActionPage(props: { tenant: Tenant; csrf: string }) {
  return (
    <Layout title="Why are you having trouble signing in?" tenantName={props.tenant.displayName}>
      <h1>Why are you having trouble signing in?</h1>
      <form method="post" action={`/t/${props.tenant.name}/sspr/action`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <fieldset>
          <legend>Choose one</legend>
          <div>
            <input type="radio" id="action-reset" name="action" value="reset" checked />
            <label for="action-reset">I forgot my password</label>
          </div>
          <div>
            <input type="radio" id="action-unlock" name="action" value="unlock" />
            <label for="action-unlock">I know my password, but still can't sign in</label>
          </div>
        </fieldset>
        <button type="submit">Next</button>
      </form>
    </Layout>
  )
}

export function SsprPasswordPage(props: { tenant: Tenant; csrf: string; onPremises: boolean; error?: FormError }) {
  return (
    <Layout title="Choose a new password" tenantName={props.tenant.displayName}>
      <h1>Choose a new password</h1>
      {props.error && <FormAlert error={props.error} />}
      <p class="hint">
        {props.onPremises
          ? "Your organization's on-premises password policy applies too."
          : 'Use 8 to 256 characters with three of: uppercase, lowercase, digits and symbols.'}
      </p>
      <form method="post" action={`/t/${props.tenant.name}/sspr/password`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <label for="newPassword">Enter new password</label>
        <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required maxlength={300} />
        <label for="confirmPassword">Confirm new password</label>
        <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required maxlength={300} />
        <button type="submit">Finish</button>
      </form>
    </Layout>
  )
}
