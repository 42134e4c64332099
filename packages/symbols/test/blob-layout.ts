// A test-only, independent implementation of the blob layout (spec §1.2) and of the original
// Rust reader's name decoding (spec §1.3), to check the package against the format itself.

export interface RawBlob {
  numSyms?: bigint;
  addresses: bigint[];
  offsets: number[];
  seqs: number[];
  names: number[];
  tokenTable: number[];
  tokenIndex: number[];
}

/** Serialises fields exactly as the spec's table says, zero padding relative to the blob start. */
export function layout(b: RawBlob): Uint8Array {
  const out: number[] = [];
  const pad = (a: number) => {
    while (out.length % a !== 0) out.push(0);
  };
  const u64 = (v: bigint) => {
    for (let i = 0n; i < 8n; i++) out.push(Number((v >> (8n * i)) & 0xffn));
  };
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
  u64(b.numSyms ?? BigInt(b.addresses.length));
  pad(8);
  for (const a of b.addresses) u64(a);
  pad(4);
  for (const o of b.offsets) u32(o);
  pad(4);
  for (const s of b.seqs) u32(s);
  pad(8);
  u64(BigInt(b.names.length));
  out.push(...b.names);
  pad(8);
  u64(BigInt(b.tokenTable.length));
  out.push(...b.tokenTable);
  pad(8);
  u64(BigInt(b.tokenIndex.length));
  pad(4);
  for (const t of b.tokenIndex) u32(t);
  return Uint8Array.from(out);
}

/** `[type][len u16][payload]` */
export function record(type: string, payload: number[] | string): number[] {
  const p = typeof payload === "string" ? [...new TextEncoder().encode(payload)] : payload;
  return [type.charCodeAt(0), p.length & 0xff, p.length >>> 8, ...p];
}

/**
 * The original reader (ksym `KallsymsMapped`), as the spec describes it: no validation, one-byte
 * token form tried first, invalid UTF-8 → "". Returns names in address order and the types.
 */
export function originalDecode(blob: Uint8Array): { names: string[]; types: string[]; addresses: bigint[] } {
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  let off = 0;
  const al = (a: number) => {
    off = Math.ceil(off / a) * a;
  };
  const u64 = () => {
    const v = dv.getBigUint64(off, true);
    off += 8;
    return v;
  };
  const n = Number(u64());
  al(8);
  const addresses: bigint[] = [];
  for (let i = 0; i < n; i++) addresses.push(u64());
  al(4);
  const offsets: number[] = [];
  for (let i = 0; i < n; i++, off += 4) offsets.push(dv.getUint32(off, true));
  al(4);
  off += 4 * n;
  al(8);
  const namesLen = Number(u64());
  const namesAt = off;
  off += namesLen;
  al(8);
  const ttLen = Number(u64());
  const ttAt = off;
  off += ttLen;
  al(8);
  const tiLen = Number(u64());
  al(4);
  const ti: number[] = [];
  for (let i = 0; i < tiLen; i++, off += 4) ti.push(dv.getUint32(off, true));
  const dec = new TextDecoder("utf-8", { fatal: true });
  const names: string[] = [];
  const types: string[] = [];
  for (const o of offsets) {
    const r = namesAt + o;
    types.push(String.fromCharCode(blob[r] as number));
    const len = dv.getUint16(r + 1, true);
    const p = blob.subarray(r + 3, r + 3 + len);
    const bytes: number[] = [];
    let rest = 0;
    if (p[0] === 0xff) {
      let id = -1;
      if (p.length > 2 && p[2] === 0xff) {
        id = p[1] as number;
        rest = 3;
      } else if (p.length > 3 && p[3] === 0xff) {
        id = ((p[1] as number) << 8) | (p[2] as number);
        rest = 4;
      }
      if (id >= 0 && id < tiLen) {
        const s = ttAt + (ti[id] as number);
        const e = id + 1 < tiLen ? ttAt + (ti[id + 1] as number) : ttAt + ttLen;
        bytes.push(...blob.subarray(s, e));
      }
    }
    bytes.push(...p.subarray(rest));
    let name = "";
    try {
      name = dec.decode(Uint8Array.from(bytes));
    } catch {
      name = "";
    }
    names.push(name);
  }
  return { names, types, addresses };
}
