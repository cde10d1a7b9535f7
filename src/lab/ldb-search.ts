/** @module Reads a lab's local sam.ldb with ldbsearch, which prints SDDL for security descriptors. */
import { runCommand } from './run-command.ts'

/** Reads attributes with ldbsearch and returns records as maps of unfolded `attr -> values`. */
export async function ldbSearch(
  samLdb: string,
  base: string,
  scope: 'base' | 'one' | 'sub',
  filter: string,
  attributes: readonly string[],
): Promise<Array<Map<string, string[]>>> {
  const { stdout } = await runCommand('ldbsearch', ['-H', samLdb, '-b', base, '-s', scope, filter, ...attributes])
  const records: Array<Map<string, string[]>> = []
  const unfolded = stdout.replace(/\n /g, '')
  for (const block of unfolded.split(/\n\s*\n/)) {
    const record = new Map<string, string[]>()
    for (const line of block.split('\n')) {
      const match = /^([A-Za-z0-9-]+)(::?) ?(.*)$/.exec(line)
      if (!match || line.startsWith('#')) continue
      const [, name, sep, raw = ''] = match
      const value = sep === '::' ? Buffer.from(raw, 'base64').toString('utf8') : raw
      record.set(name!, [...(record.get(name!) ?? []), value])
    }
    if (record.has('dn')) records.push(record)
  }
  return records
}
