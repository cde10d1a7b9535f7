/** @module The page every user-facing failure renders: safe message, code and support code. */
import { type ErrorCode, errorCatalogue } from '../../../errors/error-catalogue.ts'
import { Layout } from './layout.tsx'

export function ErrorPage(props: { code: ErrorCode; supportCode: string; tenantName?: string }) {
  const entry = errorCatalogue[props.code]
  return (
    <Layout title="Something went wrong" tenantName={props.tenantName}>
      <h1>Something went wrong</h1>
      <div role="alert">
        <p>{entry.message}</p>
      </div>
      <dl class="codes">
        <dt>Error code</dt>
        <dd>{props.code}</dd>
        <dt>Support code</dt>
        <dd>{props.supportCode}</dd>
      </dl>
      <p class="admin-hint">
        Administrators: look up the support code in the audit log, and see{' '}
        <a href={`/docs/troubleshooting#${props.code}`}>troubleshooting for {props.code}</a>.
      </p>
    </Layout>
  )
}
