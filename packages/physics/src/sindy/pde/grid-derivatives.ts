import { ValueError } from '@sciml/linalg';
import { fornbergWeights } from '../differentiation/differentiator.js';

/**
 * The d-th derivative along one axis of gridded data by centred finite differences of `width` points
 * (Fornberg 1988 weights, exact for polynomials of degree width − 1). `data` is
 * (n × m) row-major; `axis` 0 differentiates down the columns (n points, spacing h), axis 1 along the rows.
 * With `periodic` the stencil wraps; otherwise only the points at least width/2 from both ends get a value
 * and the others are NaN, so the caller must drop them (PDE-FIND drops the boundary rows).
 */
export function gridDerivative(
  data: Float64Array,
  n: number,
  m: number,
  axis: 0 | 1,
  order: number,
  h: number,
  width: number,
  periodic: boolean,
): Float64Array {
  const op = 'gridDerivative';
  const minWidth = order + 1 + (order % 2); // the smallest odd width with more than `order` points
  if (width % 2 !== 1 || width < minWidth) {
    throw new ValueError(
      op,
      `a centred stencil for derivative ${order} needs an odd width ≥ ${minWidth}, got ${width}`,
    );
  }
  const half = (width - 1) / 2;
  const nodes = Float64Array.from({ length: width }, (_, i) => (i - half) * h);
  const w = fornbergWeights(0, nodes, order);
  const out = new Float64Array(n * m).fill(Number.NaN);
  const len = axis === 0 ? n : m;
  if (!periodic && len < width) {
    throw new ValueError(op, `the axis has ${len} points, fewer than the stencil's ${width}`);
  }
  const at = (i: number, j: number) => data[i * m + j]!;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const pos = axis === 0 ? i : j;
      if (!periodic && (pos < half || pos >= len - half)) continue;
      let acc = 0;
      for (let s = 0; s < width; s++) {
        let q = pos + s - half;
        if (q < 0) q += len;
        else if (q >= len) q -= len;
        acc += w[s]! * (axis === 0 ? at(q, j) : at(i, q));
      }
      out[i * m + j] = acc;
    }
  }
  return out;
}
