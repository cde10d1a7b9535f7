import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { scrubText } from './scrub-text.ts'

describe('scrubText, the doctor’s second line of defence for free text', () => {
  it('blanks what is shaped like a secret', () => {
    const cases: [string, RegExp][] = [
      ['-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA\n-----END PRIVATE KEY-----', /^\[redacted key\]$/],
      ['token idb_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z', /\[redacted token\]/],
      ['verifier v1;PPH1_MD4,181a3024085fcee2f70e,1000,b39525c3;', /verifier \[redacted verifier\]/],
      ['postgres://idb:Sup3r-Secret@db:5432/x', /^postgres:\/\/\[redacted\]@db:5432\/x$/],
      ['bind failed, password=Hunter2!! for svc', /password=\[redacted\] for svc/],
      ['cookie 5nJ0yq9a-Zb3LQ7m2Xk_8wVt1Ru4Pc6Eh0Gi2Df3Sa9', /^cookie \[redacted\]$/],
      ['nt 92937945B518814341DE3F726500D4FF', /nt \[redacted\]/],
    ]
    for (const [input, expected] of cases) assert.match(scrubText(input), expected, input)
  })

  it('keeps ids, DNs, codes and plain words', () => {
    const text =
      'TrackingId: 0049e512-9a46-4648-bf81-8857635876a5, cloudAnchor: User_6863c6d9-53dc-407b-a4ae-e799e538c259, ' +
      'SourceAnchorValue: 29IQzZC8D4kICytbQNhu0g==, Dn: CN=Ada,OU=Synced Users,DC=contoso,DC=test, Error: IDB_ERR_WB_POLICY'
    assert.equal(scrubText(text), text)
  })

  it('caps the length', () => {
    assert.equal(scrubText('a '.repeat(1000), 20).length, 21)
  })
})
