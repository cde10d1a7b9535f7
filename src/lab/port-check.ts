/** @module Checks, before samba starts, that the AD ports are free on the lab address. */
import { createServer } from 'node:net'

/** TCP ports a Samba AD DC listens on: Kerberos, RPC, SMB, LDAP, LDAPS, kpasswd, global catalog. */
export const adTcpPorts = [88, 135, 139, 389, 445, 464, 636, 3268, 3269] as const

/**
 * The ports on `address` that something else already holds. A listener on 0.0.0.0 counts, since
 * samba's bind to the lab address would then fail with EADDRINUSE halfway through its start.
 *
 * @example
 * if ((await takenPorts('127.0.0.11')).length > 0) throw new IdbridgeError('IDB_ERR_LAB_PORT_IN_USE')
 */
export async function takenPorts(address: string, ports: readonly number[] = adTcpPorts): Promise<number[]> {
  const results = await Promise.all(
    ports.map(
      (port) =>
        new Promise<number | null>((resolve) => {
          const server = createServer()
          server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EACCES' ? null : port))
          server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(null)))
        }),
    ),
  )
  return results.filter((port): port is number => port !== null)
}

/** A TCP port free on 127.0.0.1 right now, for a child process that must be told its port before it starts. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}
