/** @module The DRS half of the PHS floor: one full-NC GetNCChanges walk, nothing decrypted, nothing sent on. */
import { DrsClient } from '../agent/phs/drs/drs-client.ts'
import { AttributeOid } from '../agent/phs/drs/prefix-table.ts'
import { connectRpc, DRSUAPI_INTERFACE } from '../agent/phs/rpc/rpc-connection.ts'
import type { LabInfo } from '../lab/lab-info.ts'

/**
 * Binds as the lab's connector and pages through the domain NC with the attributes password hash
 * sync asks for; returns the milliseconds and how many objects came back.
 */
export async function rawDrsWalk(lab: LabInfo): Promise<{ ms: number; objects: number }> {
  const started = performance.now()
  const transport = await connectRpc({
    host: lab.address,
    interfaceId: DRSUAPI_INTERFACE,
    credentials: { domain: lab.netbiosDomain, username: lab.connector.username, password: lab.connector.password },
  })
  let objects = 0
  try {
    const client = await DrsClient.bind(transport)
    let usnFrom
    let invocationId
    for (;;) {
      const page = await client.getNcChanges({
        nc: { dn: lab.baseDn },
        usnFrom,
        invocationId,
        attributes: [AttributeOid.objectSid, AttributeOid.unicodePwd, AttributeOid.pwdLastSet, AttributeOid.userAccountControl],
        maxObjects: 400,
      })
      objects += page.objects.length
      if (!page.moreData) break
      usnFrom = page.highWatermark
      invocationId = page.invocationId
    }
    await client.unbind()
  } finally {
    await transport.close()
  }
  return { ms: performance.now() - started, objects }
}
