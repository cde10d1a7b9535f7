/** @module A small HTTPS JSON POST for the agent, trusting a given CA or else the system CAs. */
import { request } from 'node:https'
import { type ErrorCode, errorCatalogue } from '../../errors/error-catalogue.ts'
import { IdbridgeError, type Result } from '../../errors/idbridge-error.ts'

/** Posts JSON; a tenant error keeps its catalogue code, anything else is a connection failure. */
export function postJson(
  url: string,
  body: unknown,
  options: { ca?: string | Buffer; timeoutMs?: number } = {},
): Promise<Result<unknown>> {
  const payload = Buffer.from(JSON.stringify(body))
  return new Promise((resolve) => {
    const fail = (detail: string, cause?: unknown) =>
      resolve({ ok: false, error: new IdbridgeError('IDB_ERR_AGENT_CONNECT', { detail, cause }) })
    const req = request(
      url,
      {
        method: 'POST',
        ca: options.ca,
        timeout: options.timeoutMs ?? 30_000,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', (error) => fail(`${url}: ${error.message}`, error))
        res.on('end', () => {
          const status = res.statusCode ?? 0
          let json: unknown
          try {
            json = JSON.parse(Buffer.concat(chunks).toString('utf8'))
          } catch {
            return fail(`${url} answered HTTP ${status} without JSON: is this the idbridge tenant service?`)
          }
          if (status >= 200 && status < 300) return resolve({ ok: true, value: json })
          const error = (json as { error?: { code?: unknown; detail?: unknown } }).error
          const code =
            typeof error?.code === 'string' && Object.hasOwn(errorCatalogue, error.code) ? error.code : undefined
          if (!code) return fail(`${url} answered HTTP ${status}`)
          const detail = typeof error?.detail === 'string' ? error.detail : undefined
          resolve({ ok: false, error: new IdbridgeError(code as ErrorCode, { detail }) })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms`)))
    req.on('error', (error) => fail(`${url}: ${error.message}`, error))
    req.end(payload)
  })
}
