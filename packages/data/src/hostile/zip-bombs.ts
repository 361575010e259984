// Hostile .npz archives: zip structures that lie about their entries (issue 26). Generated, never stored.
import { deflateSync } from 'fflate';
import { crc32 } from '../io/crc32.js';
import { writeNpy } from '../io/npy.js';
import { writeZip } from '../io/zip.js';
import { arange } from '@sciml/linalg';

/**
 * One deflated entry of `megabytes` MiB of zeros (about a kilobyte per MiB) and `records` central-directory
 * records that all point at it, each claiming the full inflated size: 36 KB that once inflated to gigabytes
 * before the overlap check ran.
 */
export function overlappingRecords(records: number, megabytes: number): Uint8Array {
  const size = megabytes * 2 ** 20;
  const zeros = new Uint8Array(size);
  const crc = crc32(zeros); // a correct CRC: nothing but the overlap gives the bomb away
  const data = deflateSync(zeros, { level: 9 });
  const name = (k: number) => new TextEncoder().encode(`a${k}.npy`);
  const local = 30 + name(0).length;
  const cdSize = Array.from({ length: records }, (_, k) => 46 + name(k).length).reduce(
    (a, b) => a + b,
    0,
  );
  const out = new Uint8Array(local + data.length + cdSize + 22);
  const view = new DataView(out.buffer);
  const header = (at: number, sig: number, central: boolean, nm: Uint8Array): number => {
    view.setUint32(at, sig, true);
    let k = at + 4 + (central ? 2 : 0);
    view.setUint16(k, 20, true);
    view.setUint16(k + 4, 8, true); // deflate
    view.setUint32(k + 10, crc, true);
    view.setUint32(k + 14, data.length, true);
    view.setUint32(k + 18, size, true);
    view.setUint16(k + 22, nm.length, true);
    if (central) view.setUint32(k + 36, 0, true); // every record: the one local header at 0
    k += central ? 40 : 26;
    out.set(nm, k);
    return k + nm.length;
  };
  out.set(data, header(0, 0x04034b50, false, name(0)));
  let p = local + data.length;
  for (let k = 0; k < records; k++) p = header(p, 0x02014b50, true, name(k));
  view.setUint32(p, 0x06054b50, true);
  view.setUint16(p + 8, records, true);
  view.setUint16(p + 10, records, true);
  view.setUint32(p + 12, cdSize, true);
  view.setUint32(p + 16, local + data.length, true);
  return out;
}

/** Honest, non-overlapping deflated entries of zeros whose total inflated size is `megabytes` MiB. */
export function manyDeflatedEntries(entries: number, megabytes: number): Uint8Array {
  const each = Math.ceil((megabytes * 2 ** 20) / entries);
  return writeZip(
    Array.from({ length: entries }, (_, k) => ({ name: `z${k}.npy`, data: new Uint8Array(each) })),
    true,
  );
}

/** A valid archive whose end record claims 65 535 entries in its small central directory. */
export function entryCountLie(): Uint8Array {
  const zip = writeZip([{ name: 'x.npy', data: writeNpy(arange(3)) }], true);
  const end = zip.length - 22;
  new DataView(zip.buffer).setUint16(end + 10, 0xfffe, true);
  return zip;
}

/** A deflated entry whose directory record claims 4 GB from a few hundred bytes. */
export function ratioLie(): Uint8Array {
  const zip = writeZip([{ name: 'x.npy', data: writeNpy(arange(3)) }], true);
  const view = new DataView(zip.buffer);
  const cd = view.getUint32(zip.length - 22 + 16, true);
  view.setUint32(cd + 24, 0xfffffff0, true);
  return zip;
}
