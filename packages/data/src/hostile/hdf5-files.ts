// Hostile HDF5 files (issue 26), written with h5wasm when the corpus is generated.
import { join } from 'node:path';

interface H5Dataset {
  resize(shape: number[]): void;
  write_slice(ranges: [number, number][], data: Float64Array): void;
}
interface H5Group {
  create_group(name: string): H5Group;
  create_hard_link(target: string, name: string): void;
  create_soft_link(target: string, name: string): void;
  create_dataset(args: Record<string, unknown>): H5Dataset;
}
interface H5File extends H5Group {
  close(): void;
}

type H5FileClass = new (path: string, mode: string, options?: { libver: 'latest' }) => H5File;

async function h5(): Promise<{ File: H5FileClass }> {
  const specifier: string = 'h5wasm/node';
  const mod = (await import(specifier)) as {
    default: { ready: Promise<unknown>; File: H5FileClass };
  };
  await mod.default.ready;
  return mod.default;
}

async function write(
  dir: string,
  name: string,
  fill: (f: H5File) => void,
  libver?: 'latest',
): Promise<string> {
  const { File } = await h5();
  const path = join(dir, name);
  const f = libver ? new File(path, 'w', { libver }) : new File(path, 'w');
  try {
    fill(f);
  } finally {
    f.close();
  }
  return path;
}

/** `g.create_hard_link('/', 'loop')`: /g/loop/g/loop/… never ends without tracking visited objects. */
export function hardLinkCycle(dir: string): Promise<string> {
  return write(dir, 'hard-link-cycle.h5', (f) => {
    const g = f.create_group('g');
    g.create_dataset({ name: 'x', data: new Float64Array([1, 2, 3]) });
    g.create_hard_link('/', 'loop');
    g.create_soft_link('/g', 'soft');
  });
}

/** `levels` groups, each linking twice to the next: 2^levels paths through a file of a few KB. */
export function hardLinkDiamond(dir: string, levels: number): Promise<string> {
  return write(dir, 'hard-link-diamond.h5', (f) => {
    for (let k = levels; k >= 1; k--) {
      const g = f.create_group(`l${k}`);
      if (k < levels) {
        g.create_hard_link(`/l${k + 1}`, 'a');
        g.create_hard_link(`/l${k + 1}`, 'b');
      } else g.create_dataset({ name: 'leaf', data: new Float64Array([7]) });
    }
  });
}

/** A chunked dataset resized to `elements` float64 with no chunk written: a tiny file, a huge array. */
export function unallocatedChunks(dir: string, elements: number): Promise<string> {
  return write(dir, 'unallocated-chunks.h5', (f) => {
    const d = f.create_dataset({
      name: 'u',
      data: new Float64Array(1),
      shape: [1],
      maxshape: [null],
      chunks: [2 ** 20],
    });
    d.resize([elements]);
  });
}

/** `elements` float64 zeros, gzipped chunk by chunk: a few hundred KB on disk. */
export function gzippedZeros(dir: string, elements: number): Promise<string> {
  return write(dir, 'gzipped-zeros.h5', (f) => {
    const chunk = 2 ** 20;
    const zeros = new Float64Array(chunk);
    const d = f.create_dataset({
      name: 'z',
      data: zeros,
      shape: [chunk],
      maxshape: [null],
      chunks: [chunk],
      compression: 'gzip',
      compression_opts: 9,
    });
    d.resize([elements]);
    for (let i = chunk; i < elements; i += chunk)
      d.write_slice(
        [[i, Math.min(i + chunk, elements)]],
        zeros.subarray(0, Math.min(chunk, elements - i)),
      );
  });
}

/**
 * A small valid file with one dataset, as bytes (for truncating and corrupting); `'latest'` writes a
 * version-3 superblock, which carries a checksum.
 */
export async function smallFile(dir: string, libver?: 'latest'): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  const name = libver ? 'small-v3.h5' : 'small.h5';
  const path = await write(
    dir,
    name,
    (f) => {
      f.create_dataset({ name: 'x', data: new Float64Array(64).fill(1.5) });
    },
    libver,
  );
  return new Uint8Array(await readFile(path));
}
