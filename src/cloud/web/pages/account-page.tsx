/** @module A signed-in user's own account page. */
import type { Group, Tenant, User } from '../../../store/store-records.ts'
import { CSRF_FIELD } from '../form-csrf.ts'
import { Layout } from './layout.tsx'

export function AccountPage(props: { tenant: Tenant; user: User; groups: Group[]; csrf: string }) {
  const { user, tenant } = props
  const base = `/t/${tenant.name}`
  return (
    <Layout title="My account" tenantName={tenant.displayName}>
      <h1>My account</h1>
      <dl>
        <dt>Name</dt>
        <dd>{user.displayName ?? user.userPrincipalName}</dd>
        <dt>User name</dt>
        <dd>{user.userPrincipalName}</dd>
        <dt>Password managed by</dt>
        <dd>{user.onPremises?.syncEnabled ? 'On-premises Active Directory' : tenant.displayName}</dd>
        <dt>Groups</dt>
        <dd>{props.groups.length ? props.groups.map((g) => g.displayName).join(', ') : 'None'}</dd>
      </dl>
      <p>
        <a href={`${base}/me/security-info`}>Security info</a> · <a href={`${base}/me/password`}>Change password</a>
      </p>
      {user.roles.includes('GlobalAdministrator') && (
        <p>
          <a href={`${base}/admin`}>Administration</a>
        </p>
      )}
      <form method="post" action={`${base}/signout`}>
        <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
        <button type="submit">Sign out</button>
      </form>
    </Layout>
  )
}
