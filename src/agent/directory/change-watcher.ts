/** @module Change notification (LDAP_SERVER_NOTIFICATION_OID): a delta trigger within seconds of a change. */
import type { TLSSocket } from 'node:tls'
import { Control } from 'ldapts'
import type { Result } from '../../errors/idbridge-error.ts'
import { classifyDirectoryError } from './classify-directory-error.ts'
import { type DcSession, openPreferredSession } from './dc-session.ts'
import { directoryEvent, directoryFailureEvent } from './directory-events.ts'
import type { LdapConnectorOptions } from './ldap-connector-options.ts'

const LDAP_SERVER_NOTIFICATION_OID = '1.2.840.113556.1.4.528'
const debounceMs = 200
const reconnectMs = 5_000

export interface ChangeWatch {
  stop(): Promise<void>
}

/**
 * Keeps one notification search open on the base DN (subtree, `(objectClass=*)`, as AD requires).
 * ldapts buffers entries of a search that never completes, so arrivals are noticed on the TLS
 * socket instead: after the search is sent, the only traffic on that connection is notifications.
 * Samba re-runs pending notification searches every 5 s when the change came through another
 * process, so expect 0–5 s of latency there; AD notifies at once.
 */
export async function startChangeWatch(
  options: LdapConnectorOptions,
  order: readonly string[],
  onChange: () => void,
): Promise<Result<ChangeWatch>> {
  let stopped = false
  let armed = false
  let debounce: NodeJS.Timeout | undefined
  let retry: NodeJS.Timeout | undefined
  let session: DcSession | undefined

  const onSocket = (socket: TLSSocket) => {
    socket.on('data', () => {
      if (!armed || stopped) return
      clearTimeout(debounce)
      debounce = setTimeout(() => {
        if (!stopped) onChange()
      }, debounceMs)
    })
  }

  const listen = async (): Promise<Result<DcSession>> => {
    armed = false
    const opened = await openPreferredSession(options, order, { longLived: true, onSocket })
    if (!opened.ok) return opened
    const current = opened.value
    session = current
    const control = new Control(LDAP_SERVER_NOTIFICATION_OID, { critical: true })
    const search = current.client.search(
      options.baseDn,
      { scope: 'sub', filter: '(objectClass=*)', attributes: ['objectGUID'] },
      [control],
    )
    armed = true
    search.then(
      () => restart(current, new Error('the DC ended the notification search')),
      (err: unknown) => restart(current, err),
    )
    options.eventLog.write(
      directoryEvent('watchStarted', `Watching ${options.baseDn} for changes on ${current.dc}.`, { dc: current.dc }),
    )
    return opened
  }

  const restart = (ended: DcSession, err: unknown) => {
    if (stopped || ended !== session) return
    const error = classifyDirectoryError(err, ended.dc)
    options.eventLog.write(directoryFailureEvent('watchFailed', 'Change notification stopped; reconnecting.', error))
    void ended.client.unbind().catch(() => {})
    // A missed notification only delays a change to the next scheduled delta, so a trigger now is cheap insurance.
    onChange()
    retry = setTimeout(function again() {
      if (stopped) return
      void listen().then((r) => {
        if (!r.ok && !stopped) retry = setTimeout(again, reconnectMs)
      })
    }, reconnectMs)
  }

  const first = await listen()
  if (!first.ok) return first
  return {
    ok: true,
    value: {
      async stop() {
        stopped = true
        clearTimeout(debounce)
        clearTimeout(retry)
        // Closing the connection abandons the search on the DC; ldapts has no public abandon().
        await session?.client.unbind().catch(() => {})
      },
    },
  }
}
