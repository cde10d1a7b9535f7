/** @module "Who are you?": the user ID and a case-insensitive captcha. */
import type { Tenant } from '../../../store/store-records.ts'
import { CSRF_FIELD } from '../form-csrf.ts'
import { FormAlert, type FormError } from './form-alert.tsx'
import { Layout } from './layout.tsx'

export function SsprIdentifyPage(props: {
  tenant: Tenant
  csrf: string
  captchaImage: string
  userId?: string
  error?: FormError
}) {
  return (
    <Layout title="Get back into your account" tenantName={props.tenant.displayName}>
      <h1>Get back into your account</h1>
      <h2>Who are you?</h2>
      {props.error && <FormAlert error={props.error} />}
      <form method="post" action={`/t/${props.tenant.name}/sspr`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <label for="userId">Email or username</label>
        <input id="userId" name="userId" type="text" autocomplete="username" required maxlength={256} value={props.userId ?? ''} />
        <img src={props.captchaImage} alt="Captcha: characters to type in the next field" width="200" height="70" />
        <label for="captcha">Enter the characters in the picture</label>
        <input id="captcha" name="captcha" type="text" autocomplete="off" required maxlength={20} />
        <p class="hint">Letters are not case-sensitive.</p>
        <button type="submit">Next</button>
      </form>
      <p>
        <a href={`/t/${props.tenant.name}/sspr`}>Show another picture</a> ·{' '}
        <a href={`/t/${props.tenant.name}/signin`}>Back to sign in</a>
      </p>
    </Layout>
  )
}
