import {
  Generator,
  ShapeError,
  abs,
  exp,
  fromTypedArray,
  max,
  mul,
  reshape,
  sin,
  zeros,
} from '@sciml/linalg';
import { type Layer, linear, sequential, tanh } from '@sciml/nn';
import { describe, expect, it } from 'vitest';
import { streamFunctionField } from './divergence-free.js';
import { col } from './test-utils.js';

/** A test grid of (x, y, t) points on [0, 2π]² × {0.3}. */
function grid(n: number, t = 0.3) {
  const pts = new Float64Array(n * n * 3);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const e = (i * n + j) * 3;
      pts[e] = (2 * Math.PI * i) / n;
      pts[e + 1] = (2 * Math.PI * j) / n;
      pts[e + 2] = t;
    }
  return fromTypedArray(pts, [n * n, 3]);
}

describe('divergence-free stream-function velocity', () => {
  it('max |∇·u| ≤ 1e-10 on a test grid for a random network (float64)', () => {
    const field = streamFunctionField(sequential(linear(16), tanh, linear(16), tanh, linear(1)), {
      inputs: 3,
    });
    const params = field.init(new Generator(5));
    const pts = grid(12);
    const div = field.divergence(params, pts);
    const uv = field.velocity(params, pts);
    expect(uv.shape).toEqual([144, 2]);
    const worst = max(abs(div)).item();
    // measured ~1e-16: the two mixed partials differ by round-off only
    expect(worst).toBeLessThanOrEqual(1e-10);
    // and the velocity is not trivially zero
    expect(max(abs(uv)).item()).toBeGreaterThan(1e-3);
  });

  it('ψ = sin x sin y e^{−2νt} gives the Taylor–Green vortex u = sin x cos y e^{−2νt}, v = −cos x sin y e^{−2νt}', () => {
    const nu = 0.1;
    const taylorGreen: Layer<Record<string, never>> = {
      kind: 'taylorGreen',
      init: () => ({}),
      initState: () => ({}),
      outputShape: () => [1],
      apply: (_p, p) => ({
        y: reshape(mul(mul(sin(col(p, 0)), sin(col(p, 1))), exp(mul(col(p, 2), -2 * nu))), [
          p.shape[0]!,
          1,
        ]),
        state: {},
      }),
    };
    const field = streamFunctionField(taylorGreen, { inputs: 3 });
    const pts = grid(8);
    const uv = field.velocity({}, pts).dataSync();
    const p = pts.dataSync();
    for (let k = 0; k < 64; k++) {
      const [x, y, t] = [p[3 * k]!, p[3 * k + 1]!, p[3 * k + 2]!];
      const decay = Math.exp(-2 * nu * t);
      expect(uv[2 * k]).toBeCloseTo(Math.sin(x) * Math.cos(y) * decay, 12);
      expect(uv[2 * k + 1]).toBeCloseTo(-Math.cos(x) * Math.sin(y) * decay, 12);
    }
    expect(max(abs(field.divergence({}, pts))).item()).toBeLessThanOrEqual(1e-12);
  });

  it('rejects points of the wrong width', () => {
    const field = streamFunctionField(sequential(linear(4), tanh, linear(1)));
    const params = field.init(new Generator(0));
    expect(() => field.velocity(params, zeros([5, 3]))).toThrow(ShapeError);
  });
});
