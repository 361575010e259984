// The HDF5 superblock, checked before h5wasm opens a file: the C library answers a truncated or corrupt file
// with "HDF5 library error" and a diagnostic stack on stderr, so the reader first says what is wrong itself.
// Layout: HDF5 File Format Specification version 3.0, §II.A "Disk Format: Level 0A — Format Signature and
// Superblock" (https://docs.hdfgroup.org/hdf5/develop/_f_m_t3.html).
import { DataFormatError } from '../errors.js';
import { lookup3 } from './lookup3.js';

/** Reads `length` bytes at `at` (fewer past the end of the input). */
export interface Probe {
  size: number;
  read(at: number, length: number): Promise<Uint8Array>;
  close?(): Promise<void>;
}

/** What the superblock says about the file. */
export interface Superblock {
  /** Byte offset of the signature (0, 512, 1024, ...). */
  at: number;
  version: number;
  /** The end-of-file address plus the base address: how many bytes the file must have. */
  declaredSize: number;
}

/** The format signature, found at byte 0, 512, 1024, 2048, ... (§II.A.1). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const UNDEFINED_ADDRESS = -1;

/**
 * Finds and checks the superblock: the signature, a known version (0–3), sizes of offsets and lengths the
 * format allows, the checksum of versions 2 and 3, and an end-of-file address the input actually reaches. Throws a DataFormatError naming
 * the byte and the problem: not HDF5, a bad superblock, or a file truncated at byte N of M.
 */
export async function checkSuperblock(probe: Probe, source: string): Promise<Superblock> {
  const failAt = (offset: number, problem: string): never => {
    throw new DataFormatError('readHdf5', { source, offset, problem });
  };
  let at = -1;
  for (let p = 0; p + 8 <= probe.size; p = p === 0 ? 512 : p * 2) {
    const head = await probe.read(p, 8);
    if (head.length === 8 && head.every((b, i) => b === SIGNATURE[i])) {
      at = p;
      break;
    }
  }
  if (at < 0) failAt(0, 'not an HDF5 file: no superblock signature \\x89HDF\\r\\n\\x1a\\n');
  const b = await probe.read(at, 96);
  if (b.length < 12)
    failAt(probe.size, `truncated at byte ${probe.size}: the superblock is cut off`);
  const version = b[8]!;
  if (version > 3)
    failAt(at + 8, `bad superblock: version ${version}, the format defines versions 0 to 3`);
  // versions 0 and 1 (§II.A.2, table "Superblock (Versions 0 and 1)"): sizes at 13 and 14, then the
  // addresses (base, free-space info, end of file, driver info) after 16 (v0) or 20 (v1) more bytes
  const offsetSize = version < 2 ? b[13]! : b[9]!;
  const lengthSize = version < 2 ? b[14]! : b[10]!;
  for (const [name, size, where] of [
    ['offsets', offsetSize, version < 2 ? 13 : 9],
    ['lengths', lengthSize, version < 2 ? 14 : 10],
  ] as const) {
    if (size !== 2 && size !== 4 && size !== 8)
      failAt(at + where, `bad superblock: size of ${name} is ${size}, the format allows 2, 4 or 8`);
  }
  if (version >= 2) {
    // versions 2 and 3 end in a lookup3 checksum of everything before it (§II.A.2, "Superblock Checksum")
    const end = 12 + 4 * offsetSize;
    if (b.length < end + 4)
      failAt(probe.size, `truncated at byte ${probe.size}: the superblock is cut off`);
    const stored = (b[end]! | (b[end + 1]! << 8) | (b[end + 2]! << 16) | (b[end + 3]! << 24)) >>> 0;
    const computed = lookup3(b.subarray(0, end));
    if (stored !== computed)
      failAt(
        at + end,
        `bad superblock: its checksum is 0x${stored.toString(16)} but its bytes give 0x${computed.toString(16)} (the superblock is corrupt)`,
      );
  }
  const addresses = version === 0 ? 24 : version === 1 ? 28 : 12;
  const address = (k: number): number => {
    const p = addresses + k * offsetSize;
    if (p + offsetSize > b.length)
      failAt(probe.size, `truncated at byte ${probe.size}: the superblock is cut off`);
    let v = 0;
    let allOnes = true;
    for (let i = offsetSize - 1; i >= 0; i--) {
      allOnes &&= b[p + i] === 0xff;
      v = v * 256 + b[p + i]!;
    }
    return allOnes ? UNDEFINED_ADDRESS : v;
  };
  // v0/v1: base, free-space, end of file; v2/v3: base, superblock extension, end of file
  const base = address(0);
  const eof = address(2);
  if (base === UNDEFINED_ADDRESS || eof === UNDEFINED_ADDRESS || !Number.isSafeInteger(base + eof))
    failAt(at + addresses, 'bad superblock: undefined or impossible base or end-of-file address');
  const declaredSize = base + eof;
  if (declaredSize > probe.size)
    failAt(
      probe.size,
      `truncated at byte ${probe.size}: the superblock says the file has ${declaredSize} bytes (copy or download it again)`,
    );
  return { at, version, declaredSize };
}
