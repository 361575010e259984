import { describeWithGpu } from '@sciml/config/test-helpers';
import { conformanceCases, primitivesWithoutCases } from '@sciml/linalg/testing';
import { setBackend } from '@sciml/linalg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { probeGpu } from '../test-utils/probe.js';

/** Cases the webgpu backend skips, with the reason (none today). */
const SKIPPED: Record<string, string> = {};

describeWithGpu(
  'webgpu backend conformance (float32)',
  () => probeGpu(),
  (gpu) => {
    // take/scatterAdd build number[] indices on the *selected* backend (not x's), so select the GPU here
    beforeAll(() => setBackend(gpu()));
    afterAll(() => {
      setBackend('cpu');
      gpu().destroy();
    });

    it.each(conformanceCases.filter((c) => !(c.name in SKIPPED)).map((c) => [c.name, c] as const))(
      '%s',
      async (_name, c) => {
        const out = c.run({ backend: gpu(), dtype: 'float32' });
        expect(out.shape).toEqual(c.shape);
        const got = Array.from(await out.data());
        expect(got.length).toBe(c.expected.length);
        got.forEach((v, i) => {
          const e = c.expected[i]!;
          if (Number.isNaN(e)) expect(v).toBeNaN();
          else expect(Math.abs(v - e)).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(e)));
        });
        out.dispose();
      },
    );

    it('every primitive the GPU supports has a case (only the CPU routines have none)', () => {
      expect(primitivesWithoutCases.filter((p) => gpu().supports(p))).toEqual([]);
    });
  },
);
