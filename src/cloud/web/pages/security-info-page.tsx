/** @module A signed-in user's security info (SSPR methods) and password change forms. */
import type { SecurityInfo } from '../../../store/sspr-records.ts'
import type { Tenant, User } from '../../../store/store-records.ts'
import type { SecurityQuestion } from '../../sspr/security-questions.ts'
import { CSRF_FIELD } from '../form-csrf.ts'
import { FormAlert, type FormError } from './form-alert.tsx'
import { Layout } from './layout.tsx'

export interface SecurityInfoPageProps {
  readonly tenant: Tenant
  readonly user: User
  readonly csrf: string
  readonly info: SecurityInfo | undefined
  readonly questions: readonly SecurityQuestion[]
  /** A fresh secret to add to an authenticator app, and its otpauth URI. */
  readonly newTotp: { secret: string; uri: string }
  readonly message?: string
  readonly error?: FormError
}

export function SecurityInfoPage(props: SecurityInfoPageProps) {
  const base = `/t/${props.tenant.name}/me/security-info`
  const hidden = <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
  const admin = props.user.roles.some((r) => r.endsWith('Administrator'))
  return (
    <Layout title="Security info" tenantName={props.tenant.displayName}>
      <h1>Security info</h1>
      {props.message && <p role="status">{props.message}</p>}
      {props.error && <FormAlert error={props.error} />}
      <p>These are the ways you prove who you are when you reset your password.</p>
      <dl>
        <dt>Alternate email</dt>
        <dd>{props.info?.email ?? 'Not set'}</dd>
        <dt>Mobile phone</dt>
        <dd>{props.info?.phone ?? 'Not set'}</dd>
        <dt>Authenticator app</dt>
        <dd>{props.info?.totp ? 'Registered' : 'Not set'}</dd>
        <dt>Security questions</dt>
        <dd>{props.info?.questions.length ? `${props.info.questions.length} answered` : 'Not set'}</dd>
      </dl>
      <h2>Alternate email</h2>
      <form method="post" action={`${base}/email`}>
        {hidden}
        <label for="email">Email address</label>
        <input id="email" name="email" type="email" required maxlength={256} />
        <button type="submit">Save email</button>
      </form>
      <h2>Mobile phone</h2>
      <form method="post" action={`${base}/phone`}>
        {hidden}
        <label for="phone">Phone number, with country code</label>
        <input id="phone" name="phone" type="tel" required maxlength={32} placeholder="+1 4255550100" />
        <button type="submit">Save phone</button>
      </form>
      <h2>Authenticator app</h2>
      <form method="post" action={`${base}/app`}>
        {hidden}
        <p>
          Add this key to your authenticator app: <code>{props.newTotp.secret}</code> (or open{' '}
          <a href={props.newTotp.uri}>this link</a> on your phone).
        </p>
        <input type="hidden" name="secret" value={props.newTotp.secret} />
        <label for="appCode">Code from the app</label>
        <input id="appCode" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required maxlength={8} />
        <button type="submit">Save app</button>
      </form>
      {!admin && (
        <>
          <h2>Security questions</h2>
          <form method="post" action={`${base}/questions`}>
            {hidden}
            {[0, 1, 2].map((i) => (
              <>
                <label for={`question${i}`}>Question {i + 1}</label>
                <select id={`question${i}`} name={`question${i}`}>
                  {props.questions.map((q, j) => (
                    <option value={q.id} selected={j === i}>
                      {q.text}
                    </option>
                  ))}
                </select>
                <label for={`answer${i}`}>Answer {i + 1}</label>
                <input id={`answer${i}`} name={`answer${i}`} type="text" required maxlength={40} autocomplete="off" />
              </>
            ))}
            <button type="submit">Save questions</button>
          </form>
        </>
      )}
      <p>
        <a href={`/t/${props.tenant.name}/me/password`}>Change password</a> ·{' '}
        <a href={`/t/${props.tenant.name}/me`}>My account</a>
      </p>
    </Layout>
  )
}

export function ChangePasswordPage(props: {
  tenant: Tenant
  csrf: string
  error?: FormError
  done?: boolean
  /** The current password is temporary: it must be changed before anything else. */
  required?: boolean
}) {
  return (
    <Layout title="Change password" tenantName={props.tenant.displayName}>
      <h1>Change password</h1>
      {props.required && !props.done && (
        <p role="alert">Your password is temporary. You need to change it before you continue.</p>
      )}
      {props.done && <p role="status">Your password has been changed. Other sessions have been signed out.</p>}
      {props.error && <FormAlert error={props.error} />}
      <form method="post" action={`/t/${props.tenant.name}/me/password`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <label for="currentPassword">Current password</label>
        <input id="currentPassword" name="currentPassword" type="password" autocomplete="current-password" required maxlength={300} />
        <label for="newPassword">New password</label>
        <input id="newPassword" name="newPassword" type="password" autocomplete="new-password" required maxlength={300} />
        <label for="confirmPassword">Confirm new password</label>
        <input id="confirmPassword" name="confirmPassword" type="password" autocomplete="new-password" required maxlength={300} />
        <button type="submit">Change password</button>
      </form>
    </Layout>
  )
}
