/**
 * @module The NTLMv2 example of MS-NLMP §4.2.4 (inputs §4.2.1, results §4.2.4.1–§4.2.4.4), shared by
 * the unit tests. Test data only: nothing in production imports it.
 */
const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex')

export const spec = {
  user: 'User',
  domain: 'Domain',
  password: 'Password',
  serverChallenge: hex('01 23 45 67 89 ab cd ef'),
  clientChallenge: hex('aa aa aa aa aa aa aa aa'),
  randomSessionKey: Buffer.alloc(16, 0x55),
  /** §4.2.4.1.1 NTOWFv2 (also LMOWFv2). */
  ntowfV2: hex('0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f'),
  /** §4.2.4.1.2 session base key. */
  sessionBaseKey: hex('8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3'),
  /** §4.2.4.2.1 LMv2 response (first 16 bytes; the client challenge follows). */
  lmV2Proof: hex('86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19'),
  /** §4.2.4.2.2 NTProofStr. */
  ntProofStr: hex('68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c'),
  /** §4.2.4.2.3 encrypted random session key. */
  encryptedSessionKey: hex('c5 da d2 54 4f c9 79 90 94 ce 1c e9 0b c9 d0 3e'),
  /** §4.2.4.3 the CHALLENGE_MESSAGE: flags e28a8233, TargetName "Server", TargetInfo Domain/Server. */
  challengeMessage: hex(`
    4e 54 4c 4d 53 53 50 00 02 00 00 00 0c 00 0c 00 38 00 00 00 33 82 8a e2
    01 23 45 67 89 ab cd ef 00 00 00 00 00 00 00 00 24 00 24 00 44 00 00 00
    06 00 70 17 00 00 00 0f 53 00 65 00 72 00 76 00 65 00 72 00 02 00 0c 00
    44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00
    65 00 72 00 00 00 00 00`),
  /** The TargetInfo above, as the AV pairs (EOL included) that go into the NTLMv2 blob. */
  targetInfo: hex(`
    02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
    01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00`),
  /** §4.2.4.4: UTF-16LE "Plaintext", sealed with sequence number 0, and its signature. */
  plaintext: Buffer.from('Plaintext', 'utf16le'),
  sealedPlaintext: hex('54 e5 01 65 bf 19 36 dc 99 60 20 c1 81 1b 0f 06 fb 5f'),
  plaintextSignature: hex('01 00 00 00 7f b3 8e c5 c5 5d 49 76 00 00 00 00'),
} as const
