import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DrsError } from './drs-error.ts'
import { ridFromSid, sidToString } from './sid.ts'

// S-1-5-21-67305985-134678021-303108105-1104, built by hand per MS-DTYP §2.4.2.2.
const SID = Buffer.from('010500000000000515000000' + '01020304' + '05060708' + '09101112' + '50040000', 'hex')

test('the RID is the last sub-authority, little-endian', () => {
  assert.equal(ridFromSid(SID), 1104)
  assert.equal(sidToString(SID), 'S-1-5-21-67305985-134678021-303108105-1104')
  assert.equal(sidToString(Buffer.from('010100000000000512000000', 'hex')), 'S-1-5-18')
})

test('malformed SIDs are DRS_SID_MALFORMED', () => {
  const malformed = (e: unknown) => DrsError.is(e) && e.code === 'DRS_SID_MALFORMED'
  assert.throws(() => ridFromSid(SID.subarray(0, 27)), malformed)
  assert.throws(() => ridFromSid(Buffer.concat([SID, Buffer.alloc(4)])), malformed)
  const revision2 = Buffer.from(SID)
  revision2[0] = 2
  assert.throws(() => ridFromSid(revision2), malformed)
  assert.throws(() => ridFromSid(Buffer.from('0100000000000005', 'hex')), malformed)
})
