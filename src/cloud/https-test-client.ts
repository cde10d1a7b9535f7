/** @module Test support: HTTPS calls to a running tenant that trust its self-signed certificate. */
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import type { RunningCloud } from './start-cloud.ts'

export interface Reply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

export function callCloud(
  cloud: Pick<RunningCloud, 'url' | 'certFile'>,
  pathName: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  const ca = readFileSync(cloud.certFile)
  return new Promise((resolve, reject) => {
    const req = request(`${cloud.url}${pathName}`, { method: init.method ?? 'GET', headers: init.headers, ca }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}
