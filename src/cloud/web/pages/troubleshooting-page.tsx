/** @module Troubleshooting, generated from the error catalogue so docs and codes never drift apart. */
import { errorCatalogue } from '../../../errors/error-catalogue.ts'
import { Layout } from './layout.tsx'

export function TroubleshootingPage() {
  return (
    <Layout title="Troubleshooting">
      <h1>Troubleshooting</h1>
      {Object.entries(errorCatalogue).map(([code, entry]) => (
        <section id={code} aria-labelledby={`${code}-h`}>
          <h2 id={`${code}-h`}>{code}</h2>
          <p>
            <strong>Users see:</strong> {entry.message}
          </p>
          <p>
            <strong>Cause:</strong> {entry.cause}
          </p>
          <p>
            <strong>Fix:</strong> {entry.fix}
          </p>
        </section>
      ))}
    </Layout>
  )
}
