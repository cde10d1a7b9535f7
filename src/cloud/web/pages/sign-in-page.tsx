/** @module The sign-in page. Labels are real labels, so screen readers and tests find the fields. */
import type { Tenant } from '../../../store/store-records.ts'
import { CSRF_FIELD } from '../form-csrf.ts'
import { Layout } from './layout.tsx'

export interface SignInPageProps {
  readonly tenant: Tenant
  readonly csrf: string
  readonly userPrincipalName?: string
  readonly returnTo?: string
  readonly error?: { message: string; code: string; supportCode: string }
}

export function SignInPage(props: SignInPageProps) {
  const base = `/t/${props.tenant.name}`
  return (
    <Layout title="Sign in" tenantName={props.tenant.displayName}>
      <h1>Sign in</h1>
      {props.error && (
        <div role="alert" class="error">
          <p>{props.error.message}</p>
          <p class="codes">
            Error code {props.error.code}. Support code {props.error.supportCode}.
          </p>
        </div>
      )}
      <form method="post" action={`${base}/signin`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        {props.returnTo && <input type="hidden" name="returnTo" value={props.returnTo} />}
        <label for="username">Email or username</label>
        <input
          id="username"
          name="username"
          type="text"
          autocomplete="username"
          required
          maxlength={256}
          value={props.userPrincipalName ?? ''}
        />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required maxlength={256} />
        <button type="submit">Sign in</button>
      </form>
      <p>
        <a href={`${base}/sspr`}>Forgot my password</a>
      </p>
    </Layout>
  )
}
