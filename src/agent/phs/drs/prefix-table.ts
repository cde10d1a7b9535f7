/**
 * @module SCHEMA_PREFIX_TABLE and the OID <-> ATTRTYP mapping of MS-DRSR §5.16.4. An ATTRTYP is
 * (prefix index << 16) | lowerWord: the prefix is the BER encoding of the OID without its last
 * arc's bytes (one byte when the arc is < 128, else two), and lowerWord is the last arc modulo
 * 0x4000 with 0x8000 set when the arc was >= 0x4000. Requests carry our table; replies carry the
 * DC's, which must be used to read the ATTRTYPs in that reply.
 */
import { DrsError } from './drs-error.ts'
import { berToOid, oidToBer } from './oid-ber.ts'

export { berToOid, oidToBer } from './oid-ber.ts'

/** OIDs of the attributes password hash sync reads (checked against [MS-ADA1..3]). */
export const AttributeOid = {
  objectClass: '2.5.4.0',
  objectGUID: '1.2.840.113556.1.4.2',
  objectSid: '1.2.840.113556.1.4.146',
  unicodePwd: '1.2.840.113556.1.4.90',
  ntPwdHistory: '1.2.840.113556.1.4.94',
  dBCSPwd: '1.2.840.113556.1.4.55',
  lmPwdHistory: '1.2.840.113556.1.4.160',
  supplementalCredentials: '1.2.840.113556.1.4.125',
  sAMAccountName: '1.2.840.113556.1.4.221',
  userAccountControl: '1.2.840.113556.1.4.8',
  pwdLastSet: '1.2.840.113556.1.4.96',
  userPrincipalName: '1.2.840.113556.1.4.656',
  msDSConsistencyGuid: '1.2.840.113556.1.4.1360',
  isDeleted: '1.2.840.113556.1.2.48',
  whenChanged: '1.2.840.113556.1.2.3',
} as const

/** The attributes whose values a DC sends inside ENCRYPTED_PAYLOAD (MS-DRSR §4.1.10.3.x). */
export const SECRET_ATTRIBUTE_OIDS: ReadonlySet<string> = new Set([
  AttributeOid.unicodePwd,
  AttributeOid.ntPwdHistory,
  AttributeOid.dBCSPwd,
  AttributeOid.lmPwdHistory,
  AttributeOid.supplementalCredentials,
])

/** The default prefixes of NewPrefixTable (MS-DRSR §5.16.4), by index. */
const DEFAULT_PREFIXES: ReadonlyArray<readonly [number, string]> = [
  [0, '2.5.4'],
  [1, '2.5.6'],
  [2, '1.2.840.113556.1.2'],
  [3, '1.2.840.113556.1.3'],
  [4, '2.16.840.1.101.2.2.1'],
  [5, '2.16.840.1.101.2.2.3'],
  [6, '2.16.840.1.101.2.1.5'],
  [7, '2.16.840.1.101.2.1.4'],
  [8, '2.5.5'],
  [9, '1.2.840.113556.1.4'],
  [10, '1.2.840.113556.1.5'],
  [11, '1.2.840.113556.1.4.260'],
  [12, '1.2.840.113556.1.5.56'],
  [13, '1.2.840.113556.1.4.262'],
  [14, '1.2.840.113556.1.5.57'],
  [15, '1.2.840.113556.1.4.263'],
  [16, '1.2.840.113556.1.5.58'],
  [17, '1.2.840.113556.1.5.73'],
  [18, '1.2.840.113556.1.4.305'],
  [19, '0.9.2342.19200300.100'],
  [20, '2.16.840.1.113730.3'],
  [21, '0.9.2342.19200300.100.1'],
  [22, '2.16.840.1.113730.3.1'],
  [23, '1.2.840.113556.1.5.7000'],
  [24, '2.5.21'],
  [25, '2.5.18'],
  [26, '2.5.20'],
  [27, '1.3.6.1.4.1.1466.101.119'],
  [28, '2.16.840.1.113730.3.2'],
  [29, '1.3.6.1.4.1.250.1'],
  [30, '1.2.840.113549.1.9'],
  [31, '0.9.2342.19200300.100.4'],
  [32, '1.2.840.113556.1.6.23'],
  [33, '1.2.840.113556.1.6.18.1'],
  [34, '1.2.840.113556.1.6.18.2'],
  [35, '1.2.840.113556.1.6.13.3'],
  [36, '1.2.840.113556.1.6.13.4'],
  [37, '1.3.6.1.1.1.1'],
  [38, '1.3.6.1.1.1.2'],
]

const SCHEMA_INFO_BYTES = 21

export interface PrefixTableEntry {
  readonly index: number
  /** BER bytes of the prefix. */
  readonly prefix: Buffer
}

/** A prefix table: the default one plus whatever a request needed, or a DC's from a reply. */
export class PrefixTable {
  readonly #byIndex = new Map<number, Buffer>()
  readonly #byPrefix = new Map<string, number>()

  /**
   * The schema signature a DC appends to its table as an extra entry with ndx 0: 0xFF, the
   * schema revision and an invocation GUID (21 bytes). It is not a prefix and must not shadow 2.5.4.
   */
  readonly schemaInfo: Buffer | undefined

  constructor(entries: Iterable<PrefixTableEntry> = []) {
    let schemaInfo: Buffer | undefined
    for (const e of entries) {
      if (e.prefix.length === SCHEMA_INFO_BYTES && e.prefix[0] === 0xff) schemaInfo = e.prefix
      else if (!this.#byIndex.has(e.index)) this.#add(e.index, e.prefix)
    }
    this.schemaInfo = schemaInfo
  }

  /** NewPrefixTable(): the §5.16.4 defaults. */
  static withDefaults(): PrefixTable {
    return new PrefixTable(DEFAULT_PREFIXES.map(([index, oid]) => ({ index, prefix: oidToBer(oid) })))
  }

  #add(index: number, prefix: Buffer): void {
    this.#byIndex.set(index, prefix)
    const key = prefix.toString('hex')
    if (!this.#byPrefix.has(key)) this.#byPrefix.set(key, index)
  }

  get entries(): PrefixTableEntry[] {
    return [...this.#byIndex].map(([index, prefix]) => ({ index, prefix }))
  }

  /** AttidFromOid: adds a prefix when the table lacks it. */
  attidFromOid(oid: string): number {
    const ber = oidToBer(oid)
    const lastArc = Number(oid.slice(oid.lastIndexOf('.') + 1))
    const prefix = ber.subarray(0, ber.length - (lastArc < 128 ? 1 : 2))
    let index = this.#byPrefix.get(prefix.toString('hex'))
    if (index === undefined) {
      index = Math.max(-1, ...this.#byIndex.keys()) + 1
      if (index > 0x7fff) throw new DrsError('DRS_INVALID_REQUEST', 'the prefix table is full')
      this.#add(index, Buffer.from(prefix))
    }
    const lowerWord = (lastArc % 0x4000) | (lastArc >= 0x4000 ? 0x8000 : 0)
    return ((index << 16) | lowerWord) >>> 0
  }

  /**
   * OidFromAttid, or undefined when the index is not in the table or the ATTRTYP is an
   * msDS-IntId (>= 0x80000000), which only the DC's schema can resolve.
   */
  oidFromAttid(attid: number): string | undefined {
    if (attid >= 0x80000000) return undefined
    const prefix = this.#byIndex.get(attid >>> 16)
    if (!prefix) return undefined
    const lower = attid & 0xffff
    const tail = lower < 128 ? [lower] : [(((lower & 0x7fff) >> 7) & 0x7f) | 0x80, lower & 0x7f]
    return berToOid(Buffer.concat([prefix, Buffer.from(tail)]))
  }
}

/** The key a decoded attribute is stored under: its OID, or attid:0x... when it has none. */
export function attributeKey(table: PrefixTable, attid: number): string {
  return table.oidFromAttid(attid) ?? `attid:0x${attid.toString(16).padStart(8, '0')}`
}
