import { describe, expect, it } from 'vitest';
import { lookup3 } from './lookup3.js';

describe('lookup3 (the HDF5 metadata checksum)', () => {
  it("matches the test vectors of Jenkins' lookup3.c", () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(lookup3(new Uint8Array(0))).toBe(0xdeadbeef);
    expect(lookup3(new Uint8Array(0), 0xdeadbeef)).toBe(0xbd5b7dde);
    expect(lookup3(text('Four score and seven years ago'))).toBe(0x17770551);
    expect(lookup3(text('Four score and seven years ago'), 1)).toBe(0xcd628161);
  });
});
