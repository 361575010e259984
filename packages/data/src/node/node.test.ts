import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { arange, array } from '@sciml/linalg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError } from '../errors.js';
import { writeNpy } from '../io/npy.js';
import { digitsFromPixels, loadDigits } from './digits.js';
import {
  readCsvFile,
  readNpyFile,
  readNpzFile,
  readSafetensorsFile,
  writeNpyFile,
  writeNpzFile,
  writeSafetensorsFile,
} from './files.js';
import { hardLinkCycle, smallFile, unallocatedChunks } from '../hostile/hdf5-files.js';
import { readHdf5 } from './hdf5.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sciml-data-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('Node file helpers', () => {
  it('write and read npy, npz and safetensors files, naming the path in errors', async () => {
    const x = array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float32' },
    );
    await writeNpyFile(join(dir, 'x.npy'), x);
    expect((await readNpyFile(join(dir, 'x.npy'))).array.toNested()).toEqual(x.toNested());
    await writeNpzFile(join(dir, 'a.npz'), { x, t: arange(3) }, { compress: true });
    expect((await readNpzFile(join(dir, 'a.npz'))).get('t')!.array.toNested()).toEqual([0, 1, 2]);
    await writeSafetensorsFile(join(dir, 'w.safetensors'), { layer: { w: x } });
    expect(
      (await readSafetensorsFile(join(dir, 'w.safetensors'))).tensors.get('layer.w')!.toNested(),
    ).toEqual(x.toNested());
    const err = await readNpyFile(join(dir, 'w.safetensors')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataFormatError);
    expect((err as DataFormatError).source).toBe(join(dir, 'w.safetensors'));
  });

  it('reads Node Buffers that sit at an offset inside a shared pool', async () => {
    const path = join(dir, 'small.npy');
    await writeNpyFile(path, arange(5));
    const buf = await readFile(path);
    const pooled = Buffer.concat([Buffer.from([1, 2, 3]), buf]).subarray(3); // byteOffset 3
    expect(pooled.byteOffset % 8).not.toBe(0);
    const { readNpy } = await import('../io/npy.js');
    expect(readNpy(pooled).array.toNested()).toEqual([0, 1, 2, 3, 4]);
    expect(Buffer.from(writeNpy(arange(5))).equals(buf)).toBe(true);
  });

  it('reads CSV files', async () => {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'd.csv'), 'a,b\n1,2\n');
    expect((await readCsvFile(join(dir, 'd.csv'))).rows).toBe(1);
  });
});

describe('readHdf5 (h5wasm)', () => {
  it('reads numeric datasets in nested groups and attributes of a file h5wasm wrote', async () => {
    const h5 = ((await import('h5wasm/node')) as unknown as { default: typeof import('h5wasm') })
      .default;
    await h5.ready;
    const path = join(dir, 'run.h5');
    const f = new h5.File(path, 'w');
    const u = f.create_dataset({
      name: 'u',
      data: new Float64Array([1, 2, 3, 4, 5, 6]),
      shape: [2, 3],
    });
    f.create_dataset({ name: 'labels', data: new Int16Array([3, -2]) });
    f.create_dataset({ name: 'steps', data: new BigInt64Array([5n, -7n]) });
    f.create_dataset({ name: 'title', data: 'burgers' });
    const g = f.create_group('fields');
    g.create_dataset({ name: 'v', data: new Float32Array([0.5, 1.5]) });
    g.create_attribute('units', 'm/s');
    u.create_attribute('dt', 0.01);
    u.create_attribute('grid', new Float64Array([0, 0.5, 1]));
    f.close();

    const r = await readHdf5(path);
    expect(r.datasets.get('/u')!.toNested()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(r.datasets.get('/labels')!.dtype).toBe('int32');
    expect(r.dtypes.get('/labels')).toBe('int16');
    expect(r.datasets.get('/steps')!.toNested()).toEqual([5, -7]);
    expect(r.datasets.get('/fields/v')!.toNested()).toEqual([0.5, 1.5]);
    expect(r.skipped.has('/title')).toBe(true);
    expect(r.attributes.get('/fields')!.get('units')).toBe('m/s');
    expect(r.attributes.get('/u')!.get('dt')).toBe(0.01);
    expect((r.attributes.get('/u')!.get('grid') as ReturnType<typeof arange>).toNested()).toEqual([
      0, 0.5, 1,
    ]);

    const bytes = await readFile(path);
    const only = await readHdf5(bytes, { datasets: ['fields/v'] });
    expect([...only.datasets.keys()]).toEqual(['/fields/v']);
    await expect(readHdf5(path, { datasets: ['/nope'] })).rejects.toThrow(
      /no numeric dataset '\/nope'/,
    );
    await expect(readHdf5(new Uint8Array(64))).rejects.toBeInstanceOf(DataFormatError);
    await expect(readHdf5(bytes.subarray(0, 600))).rejects.toBeInstanceOf(DataFormatError);
  });
});

describe('readHdf5 limits and links', () => {
  it('maxBytes bounds the declared data, and raising it reads the file', async () => {
    const path = await unallocatedChunks(dir, 2 ** 18); // 2 MiB of never-written float64
    await expect(readHdf5(path, { maxBytes: 2 ** 20 })).rejects.toThrow(
      /dataset '\/u' brings the declared data to 2097152 bytes .* pass \{ maxBytes: 2097152 \}/,
    );
    const r = await readHdf5(path, { maxBytes: 2 ** 21 });
    const u = r.datasets.get('/u')!.dataSync();
    expect(u.length).toBe(2 ** 18);
    expect(u.every((v) => v === 0)).toBe(true); // unwritten chunks read as the fill value
    await expect(readHdf5(path, { maxBytes: -1 })).rejects.toThrow(/positive number/);
  });

  it('a version-3 superblock (with its checksum) reads, and a corrupted one is named', async () => {
    const v3 = await smallFile(dir, 'latest');
    expect(v3[8]).toBe(3);
    expect((await readHdf5(v3)).datasets.get('/x')!.dataSync()[0]).toBe(1.5);
    const bad = v3.slice();
    bad[20] ^= 1;
    await expect(readHdf5(bad)).rejects.toThrow(/bad superblock: its checksum/);
  });

  it('a hard-link cycle read from bytes: the dataset once, the loop reported', async () => {
    const r = await readHdf5(await readFile(await hardLinkCycle(dir)));
    expect([...r.datasets.keys()]).toEqual(['/g/x']);
    expect(r.skipped.get('/g/loop')).toMatch(/a cycle/);
    expect(r.skipped.get('/g/soft')).toMatch(
      /hard link to the group \/g, already read \(a cycle\)/,
    );
  });
});

describe('handwritten digits (mnist package, offline)', () => {
  it('loads labelled 28×28 images with MNIST statistics', async () => {
    const { x, y, imageShape } = await loadDigits({ perClass: 50 });
    expect(imageShape).toEqual([28, 28]);
    expect(x.shape).toEqual([500, 784]);
    const labels = Array.from(y.dataSync());
    for (let d = 0; d < 10; d++) expect(labels.filter((l) => l === d).length).toBe(50);
    const px = x.dataSync();
    let min = 1;
    let max = 0;
    let sum = 0;
    for (const v of px) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBeCloseTo(1, 2);
    expect(sum / px.length).toBeGreaterThan(0.08); // MNIST's mean intensity is 0.13
    expect(sum / px.length).toBeLessThan(0.2);
  });

  it('digitsFromPixels validates its input', () => {
    expect(() => digitsFromPixels([[0]])).toThrow(/10 pixel lists/);
    expect(() => digitsFromPixels(Array.from({ length: 10 }, () => [0, 1]))).toThrow(
      /multiple of 784/,
    );
  });
});
