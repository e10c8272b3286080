/**
 * Minimal ZIP reader for archives written by `torch.save` (PKWARE APPNOTE 6.3): entries are
 * *stored* (method 0, uncompressed), so an entry's data is a view of the archive's bytes. Reads the
 * central directory (torch writes local headers with data descriptors, sizes 0 there), with ZIP64
 * end records and ZIP64 extra fields (torch always writes the ZIP64 end records). Compressed
 * entries are listed, and reading one is an error.
 */

export interface ZipEntry {
  name: string;
  /** 0 = stored; anything else is compressed and cannot be read here. */
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const FN = 'readZip';
const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX32 = 0xffffffff;

function u64(dv: DataView, at: number): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${FN}: 64-bit value ${v} is too large`);
  return Number(v);
}

function findEocd(dv: DataView): number {
  const min = Math.max(0, dv.byteLength - 22 - 0xffff);
  for (let at = dv.byteLength - 22; at >= min; at--) {
    if (dv.getUint32(at, true) === EOCD) return at;
  }
  throw new Error(`${FN}: no end-of-central-directory record (not a zip file)`);
}

/** Lists the entries of a zip archive (central directory order). */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(dv);
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  const loc = eocd - 20;
  if (loc >= 0 && dv.getUint32(loc, true) === EOCD64_LOCATOR) {
    const rec = u64(dv, loc + 8);
    if (rec + 56 > bytes.byteLength || dv.getUint32(rec, true) !== EOCD64) {
      throw new Error(`${FN}: broken ZIP64 end-of-central-directory record at ${rec}`);
    }
    count = u64(dv, rec + 32);
    cdOffset = u64(dv, rec + 48);
  }
  const entries: ZipEntry[] = [];
  let at = cdOffset;
  const decoder = new TextDecoder();
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.byteLength || dv.getUint32(at, true) !== CENTRAL) {
      throw new Error(`${FN}: central directory entry ${k} at ${at} is missing or corrupt`);
    }
    const method = dv.getUint16(at + 10, true);
    let compressedSize = dv.getUint32(at + 20, true);
    let size = dv.getUint32(at + 24, true);
    const nameLen = dv.getUint16(at + 28, true);
    const extraLen = dv.getUint16(at + 30, true);
    const commentLen = dv.getUint16(at + 32, true);
    let localHeaderOffset = dv.getUint32(at + 42, true);
    const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLen));
    // ZIP64 extra field (id 1): the 8-byte values of the fields that are 0xFFFFFFFF, in order.
    let e = at + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 1) {
        let p = e + 4;
        const next = (): number => {
          p += 8;
          return u64(dv, p - 8);
        };
        if (size === MAX32) size = next();
        if (compressedSize === MAX32) compressedSize = next();
        if (localHeaderOffset === MAX32) localHeaderOffset = next();
      }
      e += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, localHeaderOffset });
    at = extraEnd + commentLen;
  }
  return entries;
}

/** The bytes of a stored entry (a view into `bytes`). */
export function zipEntryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  if (entry.method !== 0) {
    throw new Error(
      `${FN}: entry '${entry.name}' is compressed (method ${entry.method}); only stored entries can be read`,
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = entry.localHeaderOffset;
  if (h + 30 > bytes.byteLength || dv.getUint32(h, true) !== LOCAL) {
    throw new Error(`${FN}: local header of '${entry.name}' at ${h} is missing or corrupt`);
  }
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  if (start + entry.size > bytes.byteLength) {
    throw new Error(
      `${FN}: entry '${entry.name}' (${entry.size} bytes at ${start}) runs past the end of the archive`,
    );
  }
  return bytes.subarray(start, start + entry.size);
}

/** Whether `bytes` starts with a zip local-file header. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4;
}
