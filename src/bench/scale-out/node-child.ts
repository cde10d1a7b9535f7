/**
 * @module A tenant node of the scale-out run, as its own process: `startCloud` on a config file
 * that points at the shared PostgreSQL schema. Prints `{"ready":{url,certFile}}` once listening;
 * SIGTERM closes it. Run by `startTenantNode`, never by hand.
 */
import { startCloud } from '../../cloud/start-cloud.ts'
import { loadConfig } from '../../config/load-config.ts'
import { announce, stopOnSignal } from './child-process.ts'

/** What the parent reads from the ready line. */
export interface NodeReady {
  readonly url: string
  readonly certFile: string
}

async function main(configFile: string, nodeId: string): Promise<void> {
  // An explicit node id makes the relay's log lines and the agents' connectedNode readable.
  const cloud = await startCloud(loadConfig({ file: configFile, env: {} }), { agentHub: { nodeId } })
  stopOnSignal(() => cloud.close())
  const ready: NodeReady = { url: cloud.url, certFile: cloud.certFile }
  announce('ready', ready)
}

const [configFile, nodeId] = process.argv.slice(2)
if (!configFile || !nodeId) {
  process.stderr.write('usage: node-child.ts <config file> <node id>\n')
  process.exit(2)
}
main(configFile, nodeId).catch((err: unknown) => {
  process.stderr.write(`tenant node ${nodeId}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
