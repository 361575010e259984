// The zip container (PKWARE APPNOTE 6.3.x) for .npz: stored and deflated entries, zip64 sizes on reading.
// Reading checks the central directory against the buffer before inflating anything: every offset, overlapping
// entries, each inflated size against deflate's maximum ratio and their total against `maxBytes`; then
// it inflates each entry to exactly its declared size and verifies CRC-32.
import { ValueError } from '@sciml/linalg';
import { deflateSync, inflateSync } from 'fflate';
import { DEFAULT_MAX_BYTES, type Where, checkDeclaredBytes, fail, readUint64 } from './bounds.js';
import { crc32 } from './crc32.js';

/** One file in a zip archive. */
export interface ZipEntry {
  name: string;
  data: Uint8Array;
  /** Where a stored entry's data starts in the archive (undefined for deflated entries). */
  storedAt?: number;
}

/** Deflate never expands more than 1032:1 (RFC 1951 block limits), so larger claims are corrupt. */
const MAX_DEFLATE_RATIO = 1032;
const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;

interface CentralRecord {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  at: number;
}

/**
 * Reads every entry of a zip archive held in memory. The whole central directory is validated (entry
 * counts, offsets, overlaps, deflate ratios, and the total inflated size against `maxBytes`) before any
 * entry is inflated.
 */
export function readZip(
  bytes: Uint8Array,
  op: string,
  source: string,
  maxBytes: number = DEFAULT_MAX_BYTES,
): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const where = (offset: number): Where => ({ op, source, offset });
  const need = (at: number, len: number, what: string): void => {
    if (at < 0 || at + len > bytes.length)
      fail(where(at), `${what} runs past the end of the ${bytes.length}-byte file`);
  };
  // End of central directory: the last signature within the final 22 + 65 535 (comment) bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === SIG_END) {
      end = i;
      break;
    }
  }
  if (end < 0) {
    const zipMagic = bytes.length >= 4 && view.getUint32(0, true) === SIG_LOCAL;
    fail(
      where(Math.max(0, bytes.length - 22)),
      zipMagic
        ? 'truncated zip: no end-of-central-directory record'
        : 'not a zip archive (.npz): no end-of-central-directory record',
    );
  }
  let count = view.getUint16(end + 10, true);
  let cdSize = view.getUint32(end + 12, true);
  let cdOffset = view.getUint32(end + 16, true);
  let cdLimit = end;
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = end - 20;
    need(loc, 20, 'zip64 locator');
    if (view.getUint32(loc, true) !== SIG_LOCATOR64) fail(where(loc), 'zip64 locator missing');
    const end64 = readUint64(view, loc + 8, where(loc + 8));
    need(end64, 56, 'zip64 end record');
    if (end64 > loc - 56 || view.getUint32(end64, true) !== SIG_END64)
      fail(where(end64), 'zip64 end record missing');
    count = readUint64(view, end64 + 32, where(end64 + 32));
    cdSize = readUint64(view, end64 + 40, where(end64 + 40));
    cdOffset = readUint64(view, end64 + 48, where(end64 + 48));
    cdLimit = end64;
  }
  if (cdOffset + cdSize > cdLimit)
    fail(
      where(end + 16),
      `central directory [${cdOffset}, ${cdOffset + cdSize}) overlaps its end record at ${cdLimit}`,
    );
  if (count * 46 > cdSize)
    fail(where(end + 10), `${count} entries cannot fit in a ${cdSize}-byte central directory`);

  const records: CentralRecord[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    need(p, 46, 'central directory entry');
    if (view.getUint32(p, true) !== SIG_CENTRAL)
      fail(where(p), 'bad central directory entry signature');
    const flags = view.getUint16(p + 8, true);
    if (flags & 1) fail(where(p + 8), 'encrypted zip entries are not supported');
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    need(p + 46, nameLen + extraLen + commentLen, 'central directory entry');
    const rec: CentralRecord = {
      name: decodeName(bytes.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0),
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
      at: p,
    };
    readZip64Extra(view, p + 46 + nameLen, extraLen, rec, where);
    records.push(rec);
    p += 46 + nameLen + extraLen + commentLen;
  }
  if (p > cdOffset + cdSize)
    fail(where(cdOffset), 'central directory is longer than its end record says');

  // Validate the whole directory before inflating anything: a few kilobytes of records that all point at
  // one large deflated entry must fail here, not after each has been inflated.
  const spans: [number, number, string][] = [];
  const located: { rec: CentralRecord; dataStart: number; dataEnd: number }[] = [];
  let declared = 0;
  for (const rec of records) {
    const lo = rec.localOffset;
    need(lo, 30, `local header of '${rec.name}'`);
    if (view.getUint32(lo, true) !== SIG_LOCAL)
      fail(where(lo), `bad local header signature for '${rec.name}'`);
    const dataStart = lo + 30 + view.getUint16(lo + 26, true) + view.getUint16(lo + 28, true);
    const dataEnd = dataStart + rec.compressedSize;
    if (dataEnd > cdOffset)
      fail(
        where(lo),
        `data of '${rec.name}' [${dataStart}, ${dataEnd}) runs into the central directory at ${cdOffset}`,
      );
    if (rec.method === 0) {
      if (rec.size !== rec.compressedSize)
        fail(
          where(rec.at + 20),
          `stored entry '${rec.name}' has different compressed and uncompressed sizes`,
        );
    } else if (rec.method === 8) {
      if (rec.size > rec.compressedSize * MAX_DEFLATE_RATIO + 1024) {
        fail(
          where(rec.at + 24),
          `'${rec.name}' claims ${rec.size} bytes from ${rec.compressedSize} compressed, beyond deflate's maximum ratio`,
        );
      }
      declared += rec.size;
    } else {
      fail(
        where(rec.at + 10),
        `compression method ${rec.method} of '${rec.name}' is not supported (only stored and deflate)`,
      );
    }
    spans.push([lo, dataEnd, rec.name]);
    located.push({ rec, dataStart, dataEnd });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1])
      fail(where(spans[i]![0]), `entries '${spans[i - 1]![2]}' and '${spans[i]![2]}' overlap`);
  }
  checkDeclaredBytes(where(cdOffset), declared, maxBytes, 'its deflated entries inflate to');

  return located.map(({ rec, dataStart, dataEnd }) => {
    const raw = bytes.subarray(dataStart, dataEnd);
    const data = rec.method === 0 ? raw : inflateExact(raw, rec, where(dataStart));
    if (crc32(data) !== rec.crc)
      fail(where(dataStart), `CRC-32 mismatch in '${rec.name}': the entry is corrupt`);
    return rec.method === 0
      ? { name: rec.name, data, storedAt: dataStart }
      : { name: rec.name, data };
  });
}

function inflateExact(raw: Uint8Array, rec: CentralRecord, at: Where): Uint8Array {
  const out = new Uint8Array(rec.size);
  let data: Uint8Array;
  try {
    data = inflateSync(raw, { out });
  } catch (e) {
    fail(at, `deflate stream of '${rec.name}' is corrupt (${(e as Error).message})`);
  }
  if (data.length !== rec.size)
    fail(at, `'${rec.name}' inflates to ${data.length} bytes, the directory says ${rec.size}`);
  return data;
}

function readZip64Extra(
  view: DataView,
  start: number,
  len: number,
  rec: CentralRecord,
  where: (o: number) => Where,
): void {
  let q = start;
  while (q + 4 <= start + len) {
    const id = view.getUint16(q, true);
    const size = view.getUint16(q + 2, true);
    if (q + 4 + size > start + len) fail(where(q), 'extra field runs past its entry');
    if (id === 0x0001) {
      let r = q + 4;
      const take = (): number => {
        if (r + 8 > q + 4 + size) fail(where(r), 'zip64 extra field is too short');
        const v = readUint64(view, r, where(r));
        r += 8;
        return v;
      };
      if (rec.size === 0xffffffff) rec.size = take();
      if (rec.compressedSize === 0xffffffff) rec.compressedSize = take();
      if (rec.localOffset === 0xffffffff) rec.localOffset = take();
    }
    q += 4 + size;
  }
}

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder().decode(bytes);
  return String.fromCharCode(...bytes);
}

/** Writes entries into a zip archive, each stored or deflated (level 6), dated 1980-01-01 for reproducibility. */
export function writeZip(entries: readonly ZipEntry[], compress: boolean): Uint8Array {
  const encoder = new TextEncoder();
  const parts: {
    name: Uint8Array;
    data: Uint8Array;
    crc: number;
    size: number;
    method: number;
    offset: number;
  }[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = encoder.encode(e.name);
    const data = compress ? deflateSync(e.data, { level: 6 }) : e.data;
    parts.push({
      name,
      data,
      crc: crc32(e.data),
      size: e.data.length,
      method: compress ? 8 : 0,
      offset,
    });
    offset += 30 + name.length + data.length;
  }
  const cdStart = offset;
  const cdSize = parts.reduce((s, q) => s + 46 + q.name.length, 0);
  if (cdStart + cdSize > 0xfffffffe || parts.length > 0xfffe) {
    throw new ValueError(
      'writeNpz',
      'archives over 4 GiB or 65 534 entries need zip64, which the writer does not produce; split the arrays',
    );
  }
  const out = new Uint8Array(cdStart + cdSize + 22);
  const view = new DataView(out.buffer);
  const header = (at: number, sig: number, q: (typeof parts)[number], central: boolean): number => {
    view.setUint32(at, sig, true);
    let k = at + 4;
    if (central) {
      view.setUint16(k, 20, true); // version made by
      k += 2;
    }
    view.setUint16(k, 20, true); // version needed: 2.0
    view.setUint16(k + 2, 0x800, true); // flags: UTF-8 names
    view.setUint16(k + 4, q.method, true);
    view.setUint16(k + 6, 0, true); // time 00:00
    view.setUint16(k + 8, 0x21, true); // date 1980-01-01
    view.setUint32(k + 10, q.crc, true);
    view.setUint32(k + 14, q.data.length, true);
    view.setUint32(k + 18, q.size, true);
    view.setUint16(k + 22, q.name.length, true);
    view.setUint16(k + 24, 0, true); // extra length
    if (!central) return k + 26;
    // comment length, disk, internal attrs, external attrs: zero
    view.setUint32(k + 36, q.offset, true);
    return k + 40;
  };
  for (const q of parts) {
    const at = header(q.offset, SIG_LOCAL, q, false);
    out.set(q.name, at);
    out.set(q.data, at + q.name.length);
  }
  let p = cdStart;
  for (const q of parts) {
    const at = header(p, SIG_CENTRAL, q, true);
    out.set(q.name, at);
    p = at + q.name.length;
  }
  view.setUint32(p, SIG_END, true);
  view.setUint16(p + 8, parts.length, true);
  view.setUint16(p + 10, parts.length, true);
  view.setUint32(p + 12, cdSize, true);
  view.setUint32(p + 16, cdStart, true);
  return out;
}
