// Bob Jenkins' lookup3 `hashlittle` (2006, public domain), the checksum of HDF5's version-2/3 superblocks
// and other metadata (H5checksum.c, `H5_checksum_lookup3`), byte-wise as HDF5 computes it.

const rot = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** lookup3 hashlittle of `key` with `initval` (HDF5 uses 0), as an unsigned 32-bit integer. */
export function lookup3(key: Uint8Array, initval = 0): number {
  let length = key.length;
  let a = (0xdeadbeef + length + initval) >>> 0;
  let b = a;
  let c = a;
  let k = 0;
  const word = (at: number): number =>
    (key[at]! | (key[at + 1]! << 8) | (key[at + 2]! << 16) | (key[at + 3]! << 24)) >>> 0;
  while (length > 12) {
    a = (a + word(k)) >>> 0;
    b = (b + word(k + 4)) >>> 0;
    c = (c + word(k + 8)) >>> 0;
    // mix(a, b, c)
    a = ((a - c) >>> 0) ^ rot(c, 4);
    c = (c + b) >>> 0;
    b = ((b - a) >>> 0) ^ rot(a, 6);
    a = (a + c) >>> 0;
    c = ((c - b) >>> 0) ^ rot(b, 8);
    b = (b + a) >>> 0;
    a = ((a - c) >>> 0) ^ rot(c, 16);
    c = (c + b) >>> 0;
    b = ((b - a) >>> 0) ^ rot(a, 19);
    a = (a + c) >>> 0;
    c = ((c - b) >>> 0) ^ rot(b, 4);
    b = (b + a) >>> 0;
    length -= 12;
    k += 12;
  }
  if (length === 0) return c;
  // the last 1–12 bytes, added byte by byte into c, b, a (the fall-through switch of the C code)
  const add = [0, 0, 0];
  for (let i = 0; i < length; i++) add[i >> 2]! += key[k + i]! << (8 * (i & 3));
  a = (a + (add[0]! >>> 0)) >>> 0;
  b = (b + (add[1]! >>> 0)) >>> 0;
  c = (c + (add[2]! >>> 0)) >>> 0;
  // final(a, b, c)
  c = ((c ^ b) - rot(b, 14)) >>> 0;
  a = ((a ^ c) - rot(c, 11)) >>> 0;
  b = ((b ^ a) - rot(a, 25)) >>> 0;
  c = ((c ^ b) - rot(b, 16)) >>> 0;
  a = ((a ^ c) - rot(c, 4)) >>> 0;
  b = ((b ^ a) - rot(a, 14)) >>> 0;
  c = ((c ^ b) - rot(b, 24)) >>> 0;
  return c;
}
