/**
 * The passes of a mixed-radix Stockham autosort FFT (forward sign, e^{−2πi jk/n}) over interleaved complex
 * float64 buffers. Pass s of radix R over sub-transforms of length ns reads x[j + r·n/R] (r < R), multiplies by
 * the twiddle e^{−2πi (j mod ns) r / (ns R)}, does a length-R DFT and writes y[(j − j mod ns)·R + j mod ns + r·ns]
 * — the formulation of Govindaraju et al. 2008 ("High performance discrete Fourier transforms on graphics
 * processors", SC'08, Fig. 2), which needs no bit reversal and reads and writes with unit stride.
 */
import type { Stage, StockhamPlan } from './plan.js';

const SIN60 = Math.sqrt(3) / 2;
const C1 = Math.cos((2 * Math.PI) / 5);
const C2 = Math.cos((4 * Math.PI) / 5);
const S1 = Math.sin((2 * Math.PI) / 5);
const S2 = Math.sin((4 * Math.PI) / 5);

/**
 * Runs every pass of `plan` on `data` (length 2n), using `work` (length ≥ 2n) as the other buffer; returns
 * the buffer holding the result (`data` or `work`).
 */
export function runStockham(
  plan: StockhamPlan,
  data: Float64Array,
  work: Float64Array,
): Float64Array {
  let src = data;
  let dst = work;
  for (const stage of plan.stages) {
    pass(stage, plan.n, src, dst);
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

function pass(stage: Stage, n: number, x: Float64Array, y: Float64Array): void {
  const kernel = BUTTERFLIES[stage.radix] ?? radixGeneric;
  kernel(stage, n, x, y);
}

function radix2({ ns, twiddles: tw }: Stage, n: number, x: Float64Array, y: Float64Array): void {
  const q = n / 2;
  for (let j0 = 0; j0 < q; j0 += ns) {
    const out = 2 * j0;
    for (let jj = 0; jj < ns; jj++) {
      const i0 = 2 * (j0 + jj);
      const i1 = i0 + 2 * q;
      const wr = tw[2 * jj]!;
      const wi = tw[2 * jj + 1]!;
      const ar = x[i0]!;
      const ai = x[i0 + 1]!;
      const xr = x[i1]!;
      const xi = x[i1 + 1]!;
      const br = xr * wr - xi * wi;
      const bi = xr * wi + xi * wr;
      const o = 2 * (out + jj);
      y[o] = ar + br;
      y[o + 1] = ai + bi;
      y[o + 2 * ns] = ar - br;
      y[o + 2 * ns + 1] = ai - bi;
    }
  }
}

function radix3({ ns, twiddles: tw }: Stage, n: number, x: Float64Array, y: Float64Array): void {
  const q = n / 3;
  for (let j0 = 0; j0 < q; j0 += ns) {
    const out = 3 * j0;
    for (let jj = 0; jj < ns; jj++) {
      const i0 = 2 * (j0 + jj);
      const i1 = i0 + 2 * q;
      const i2 = i1 + 2 * q;
      const t = 4 * jj;
      const a0r = x[i0]!;
      const a0i = x[i0 + 1]!;
      const a1r = x[i1]! * tw[t]! - x[i1 + 1]! * tw[t + 1]!;
      const a1i = x[i1]! * tw[t + 1]! + x[i1 + 1]! * tw[t]!;
      const a2r = x[i2]! * tw[t + 2]! - x[i2 + 1]! * tw[t + 3]!;
      const a2i = x[i2]! * tw[t + 3]! + x[i2 + 1]! * tw[t + 2]!;
      const sr = a1r + a2r;
      const si = a1i + a2i;
      const mr = a0r - 0.5 * sr;
      const mi = a0i - 0.5 * si;
      // −i·(√3/2)·(a1 − a2)
      const dr = SIN60 * (a1i - a2i);
      const di = -SIN60 * (a1r - a2r);
      const o = 2 * (out + jj);
      y[o] = a0r + sr;
      y[o + 1] = a0i + si;
      y[o + 2 * ns] = mr + dr;
      y[o + 2 * ns + 1] = mi + di;
      y[o + 4 * ns] = mr - dr;
      y[o + 4 * ns + 1] = mi - di;
    }
  }
}

function radix4({ ns, twiddles: tw }: Stage, n: number, x: Float64Array, y: Float64Array): void {
  const q = n / 4;
  const s = 2 * ns;
  for (let j0 = 0; j0 < q; j0 += ns) {
    const out = 4 * j0;
    for (let jj = 0; jj < ns; jj++) {
      const i0 = 2 * (j0 + jj);
      const i1 = i0 + 2 * q;
      const i2 = i1 + 2 * q;
      const i3 = i2 + 2 * q;
      const t = 6 * jj;
      const a0r = x[i0]!;
      const a0i = x[i0 + 1]!;
      const a1r = x[i1]! * tw[t]! - x[i1 + 1]! * tw[t + 1]!;
      const a1i = x[i1]! * tw[t + 1]! + x[i1 + 1]! * tw[t]!;
      const a2r = x[i2]! * tw[t + 2]! - x[i2 + 1]! * tw[t + 3]!;
      const a2i = x[i2]! * tw[t + 3]! + x[i2 + 1]! * tw[t + 2]!;
      const a3r = x[i3]! * tw[t + 4]! - x[i3 + 1]! * tw[t + 5]!;
      const a3i = x[i3]! * tw[t + 5]! + x[i3 + 1]! * tw[t + 4]!;
      const t0r = a0r + a2r;
      const t0i = a0i + a2i;
      const t1r = a0r - a2r;
      const t1i = a0i - a2i;
      const t2r = a1r + a3r;
      const t2i = a1i + a3i;
      const t3r = a1r - a3r;
      const t3i = a1i - a3i;
      const o = 2 * (out + jj);
      y[o] = t0r + t2r;
      y[o + 1] = t0i + t2i;
      // y1 = t1 − i·t3, y3 = t1 + i·t3
      y[o + s] = t1r + t3i;
      y[o + s + 1] = t1i - t3r;
      y[o + 2 * s] = t0r - t2r;
      y[o + 2 * s + 1] = t0i - t2i;
      y[o + 3 * s] = t1r - t3i;
      y[o + 3 * s + 1] = t1i + t3r;
    }
  }
}

function radix5({ ns, twiddles: tw }: Stage, n: number, x: Float64Array, y: Float64Array): void {
  const q = n / 5;
  const s = 2 * ns;
  for (let j0 = 0; j0 < q; j0 += ns) {
    const out = 5 * j0;
    for (let jj = 0; jj < ns; jj++) {
      const i0 = 2 * (j0 + jj);
      const t = 8 * jj;
      const a0r = x[i0]!;
      const a0i = x[i0 + 1]!;
      const i1 = i0 + 2 * q;
      const a1r = x[i1]! * tw[t]! - x[i1 + 1]! * tw[t + 1]!;
      const a1i = x[i1]! * tw[t + 1]! + x[i1 + 1]! * tw[t]!;
      const i2 = i1 + 2 * q;
      const a2r = x[i2]! * tw[t + 2]! - x[i2 + 1]! * tw[t + 3]!;
      const a2i = x[i2]! * tw[t + 3]! + x[i2 + 1]! * tw[t + 2]!;
      const i3 = i2 + 2 * q;
      const a3r = x[i3]! * tw[t + 4]! - x[i3 + 1]! * tw[t + 5]!;
      const a3i = x[i3]! * tw[t + 5]! + x[i3 + 1]! * tw[t + 4]!;
      const i4 = i3 + 2 * q;
      const a4r = x[i4]! * tw[t + 6]! - x[i4 + 1]! * tw[t + 7]!;
      const a4i = x[i4]! * tw[t + 7]! + x[i4 + 1]! * tw[t + 6]!;
      const t1r = a1r + a4r;
      const t1i = a1i + a4i;
      const t2r = a2r + a3r;
      const t2i = a2i + a3i;
      const t3r = a1r - a4r;
      const t3i = a1i - a4i;
      const t4r = a2r - a3r;
      const t4i = a2i - a3i;
      const m1r = a0r + C1 * t1r + C2 * t2r;
      const m1i = a0i + C1 * t1i + C2 * t2i;
      const m2r = a0r + C2 * t1r + C1 * t2r;
      const m2i = a0i + C2 * t1i + C1 * t2i;
      const n1r = S1 * t3r + S2 * t4r;
      const n1i = S1 * t3i + S2 * t4i;
      const n2r = S2 * t3r - S1 * t4r;
      const n2i = S2 * t3i - S1 * t4i;
      const o = 2 * (out + jj);
      y[o] = a0r + t1r + t2r;
      y[o + 1] = a0i + t1i + t2i;
      // y1 = m1 − i·n1, y4 = m1 + i·n1, y2 = m2 − i·n2, y3 = m2 + i·n2
      y[o + s] = m1r + n1i;
      y[o + s + 1] = m1i - n1r;
      y[o + 4 * s] = m1r - n1i;
      y[o + 4 * s + 1] = m1i + n1r;
      y[o + 2 * s] = m2r + n2i;
      y[o + 2 * s + 1] = m2i - n2r;
      y[o + 3 * s] = m2r - n2i;
      y[o + 3 * s + 1] = m2i + n2r;
    }
  }
}

/** A prime radix p by the direct length-p DFT with the exact roots e^{−2πi q/p} (O(p²) per butterfly). */
function radixGeneric(stage: Stage, n: number, x: Float64Array, y: Float64Array): void {
  const { radix: p, ns, twiddles: tw, roots } = stage;
  const q = n / p;
  const ar = new Float64Array(p);
  const ai = new Float64Array(p);
  for (let j0 = 0; j0 < q; j0 += ns) {
    const out = p * j0;
    for (let jj = 0; jj < ns; jj++) {
      const i0 = 2 * (j0 + jj);
      ar[0] = x[i0]!;
      ai[0] = x[i0 + 1]!;
      for (let r = 1; r < p; r++) {
        const i = i0 + 2 * r * q;
        const t = 2 * (jj * (p - 1) + r - 1);
        ar[r] = x[i]! * tw[t]! - x[i + 1]! * tw[t + 1]!;
        ai[r] = x[i]! * tw[t + 1]! + x[i + 1]! * tw[t]!;
      }
      for (let k = 0; k < p; k++) {
        let sr = 0;
        let si = 0;
        for (let r = 0; r < p; r++) {
          const w = 2 * ((r * k) % p);
          const wr = roots[w]!;
          const wi = roots[w + 1]!;
          sr += ar[r]! * wr - ai[r]! * wi;
          si += ar[r]! * wi + ai[r]! * wr;
        }
        const o = 2 * (out + jj + k * ns);
        y[o] = sr;
        y[o + 1] = si;
      }
    }
  }
}

/** The specialised passes; any other (prime) radix uses the direct length-p DFT. */
const BUTTERFLIES: Record<
  number,
  (stage: Stage, n: number, x: Float64Array, y: Float64Array) => void
> = { 2: radix2, 3: radix3, 4: radix4, 5: radix5 };
