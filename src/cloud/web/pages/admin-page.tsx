/** @module The admin overview: users, settings and the latest audit entries of one tenant. */
import type { AuditEvent, Tenant, User } from '../../../store/store-records.ts'
import { Layout } from './layout.tsx'

export function AdminPage(props: { tenant: Tenant; users: User[]; total: number; audit: AuditEvent[] }) {
  const { tenant } = props
  return (
    <Layout title="Administration" tenantName={tenant.displayName}>
      <h1>Administration</h1>
      <section aria-labelledby="settings-heading">
        <h2 id="settings-heading">Settings</h2>
        <table>
          <tbody>
            {Object.entries(tenant.settings).map(([key, value]) => (
              <tr>
                <th scope="row">{key}</th>
                <td>{JSON.stringify(value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          Change settings with the admin API: <a href="/openapi.json">OpenAPI document</a>.
        </p>
      </section>
      <section aria-labelledby="users-heading">
        <h2 id="users-heading">Users ({props.total})</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Display name</th>
              <th scope="col">Source</th>
              <th scope="col">Enabled</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr>
                <td>{u.userPrincipalName}</td>
                <td>{u.displayName}</td>
                <td>{u.onPremises?.syncEnabled ? 'Active Directory' : 'Cloud'}</td>
                <td>{u.accountEnabled ? 'Yes' : 'No'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="audit-heading">
        <h2 id="audit-heading">Recent audit events</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Activity</th>
              <th scope="col">Target</th>
              <th scope="col">Result</th>
              <th scope="col">Support code</th>
            </tr>
          </thead>
          <tbody>
            {props.audit.map((e) => (
              <tr>
                <td>{new Date(e.at).toISOString()}</td>
                <td>{e.activity}</td>
                <td>{e.target}</td>
                <td>{e.result === 'success' ? 'Success' : `Failure: ${e.failureReason ?? ''}`}</td>
                <td>{e.correlationId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </Layout>
  )
}
