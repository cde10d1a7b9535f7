/** @module The tenant's landing page. */
import type { Tenant } from '../../../store/store-records.ts'
import { Layout } from './layout.tsx'

export function TenantHomePage(props: { tenant: Tenant }) {
  const base = `/t/${props.tenant.name}`
  return (
    <Layout title={props.tenant.displayName} tenantName={props.tenant.displayName}>
      <h1>{props.tenant.displayName}</h1>
      <nav aria-label="Tenant">
        <ul>
          <li>
            <a href={`${base}/signin`}>Sign in</a>
          </li>
          <li>
            <a href={`${base}/sspr`}>Reset your password</a>
          </li>
          <li>
            <a href={`${base}/admin`}>Administration</a>
          </li>
        </ul>
      </nav>
    </Layout>
  )
}
