/**
 * @module IDL_DRSBind (opnum 0) and IDL_DRSUnbind (opnum 1), MS-DRSR §4.1.3 and §4.1.25.
 * Bind: [in, unique] UUID* puuidClientDsa, [in, unique] DRS_EXTENSIONS* pextClient;
 * out: [out] DRS_EXTENSIONS** ppextServer, [out, ref] DRS_HANDLE* phDrs, ULONG return.
 * Unbind: [in, out, ref] DRS_HANDLE* phDrs; out: the zeroed handle and ULONG return.
 */
import { NdrReader } from '../ndr/ndr-reader.ts'
import { NdrWriter } from '../ndr/ndr-writer.ts'
import { type DrsExtensions, readDrsExtensions, writeDrsExtensions } from './drs-extensions.ts'

export interface BindReply {
  readonly handle: Buffer
  readonly serverExtensions?: DrsExtensions
  readonly werror: number
}

/** Top-level unique pointers: each pointee follows its referent id at once. */
export function encodeBindRequest(clientDsa: string, extensions: Uint8Array): Buffer {
  const w = new NdrWriter()
  if (w.pointer(true)) w.uuid(clientDsa)
  if (w.pointer(true)) writeDrsExtensions(w, extensions)
  return w.finish()
}

export function decodeBindReply(stub: Uint8Array): BindReply {
  const r = new NdrReader(stub)
  let serverExtensions: DrsExtensions | undefined
  if (r.referent() !== 0) serverExtensions = readDrsExtensions(r)
  const handle = r.contextHandle()
  const werror = r.u32()
  return serverExtensions ? { handle, serverExtensions, werror } : { handle, werror }
}

export function encodeUnbindRequest(handle: Uint8Array): Buffer {
  return new NdrWriter().contextHandle(handle).finish()
}

export function decodeUnbindReply(stub: Uint8Array): { readonly handle: Buffer; readonly werror: number } {
  const r = new NdrReader(stub)
  const handle = r.contextHandle()
  return { handle, werror: r.u32() }
}
