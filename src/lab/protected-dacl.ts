/** @module Emulates SDProp, which Samba lacks: a protected DACL copied from AdminSDHolder. */
import { adGuids } from './connector-acl.ts'

// Real AD's AdminSDHolder grants these explicitly; Samba's grants only DA, SY and AU. Without the
// change-password ACEs a protected admin could not even change their own password.
const adExtras = [
  '(A;;RPWPCRCCDCLCLORCWOWDSW;;;BA)',
  '(A;;RPWPCRCCDCLCLORCWOWDSW;;;EA)',
  `(OA;;CR;${adGuids.changePassword};;WD)`,
  `(OA;;CR;${adGuids.changePassword};;PS)`,
]

/**
 * Turns AdminSDHolder's SDDL (owner, group and DACL as Samba prints them) into the descriptor
 * SDProp would stamp on a protected account: the explicit ACEs only, with inheritance blocked
 * (`D:P`, SE_DACL_PROTECTED), so delegations on the domain root never reach the account.
 *
 * @example
 * protectedDescriptor('O:DAG:DAD:AI(A;;RPWP;;;DA)(OA;CIIOID;CR;…;LA)') // 'O:DAG:DAD:PAI(A;;RPWP;;;DA)…'
 */
export function protectedDescriptor(adminSdHolderSddl: string): string {
  const match = /^(O:[^:]+?)(G:[^:]+?)D:([A-Z]*)(\(.*?\))?(S:.*)?$/.exec(adminSdHolderSddl.trim())
  if (!match) throw new Error(`unexpected AdminSDHolder descriptor: ${adminSdHolderSddl.slice(0, 80)}`)
  const [, owner, group, , aces = ''] = match
  const explicit = (aces.match(/\([^)]*\)/g) ?? []).filter((ace) => !aceFlags(ace).includes('ID'))
  const all = [...explicit]
  for (const extra of adExtras) if (!all.includes(extra)) all.push(extra)
  return `${owner}${group}D:PAI${all.join('')}`
}

function aceFlags(ace: string): string {
  return ace.slice(1, -1).split(';')[1] ?? ''
}
