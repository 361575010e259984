/**
 * Shared pieces of the WGSL kernels: element types, the parameter block, the dispatch grid, and the scalar
 * math library whose semantics follow the CPU backend's reference definitions (NaN propagation, log1p/expm1
 * without cancellation, overflow-free tanh/sigmoid). NaN tests use bit patterns, which survive compilers
 * that assume finite math.
 */
import { type DType, DTypeError } from '@sciml/linalg';

/** WGSL scalar type that stores each dtype (bool is stored as one u32 per element, 0 or 1). */
export type WgslScalar = 'f32' | 'i32' | 'u32';

/** Storage type of a dtype on the GPU. */
export function wgslType(dtype: DType, op = 'webgpu'): WgslScalar {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    default:
      throw new DTypeError(
        op,
        `the webgpu backend cannot store ${dtype}; use astype('float32') on the CPU first`,
      );
  }
}

/** Threads per workgroup of the 1-D kernels. */
export const WG = 256;

/** A 2-D grid of `wg`-thread workgroups covering `n` threads (each grid dimension is at most 65 535). */
export function grid(n: number, wg = WG): [number, number, number] {
  const groups = Math.ceil(n / wg);
  if (groups === 0) return [0, 1, 1];
  const x = Math.min(groups, 65535);
  return [x, Math.ceil(groups / x), 1];
}

/** Declares the parameter block (binding 0) with `rows` 16-byte rows and accessors. */
export function paramsDecl(rows: number): string {
  return `@group(0) @binding(0) var<uniform> P: array<vec4<u32>, ${int(rows)}>;
fn pu(i: u32) -> u32 { return P[i >> 2u][i & 3u]; }
fn pi(i: u32) -> i32 { return bitcast<i32>(pu(i)); }
fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }`;
}

/** The flat thread index of a 1-D kernel launched with {@link grid}. */
export const FLAT_INDEX = `let i = gid.y * (nwg.x * ${WG}u) + gid.x;`;

/** Entry point signature of a 1-D kernel. */
export const MAIN_1D = `@compute @workgroup_size(${WG})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>)`;

/** Formats a non-negative integer for WGSL source (the only way numbers enter kernel text). */
export function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Error(`kernel generator: ${n} is not a valid integer constant`);
  return String(n);
}

/** Builds the parameter words of a dispatch. */
export class Params {
  readonly #words: number[] = [];
  readonly #f32 = new Float32Array(1);
  readonly #u32 = new Uint32Array(this.#f32.buffer);

  /** Index the next word will have. */
  get length(): number {
    return this.#words.length;
  }

  u32(v: number): this {
    this.#words.push(v >>> 0);
    return this;
  }

  i32(v: number): this {
    this.#words.push(v | 0);
    return this;
  }

  f32(v: number): this {
    this.#f32[0] = v;
    this.#words.push(this.#u32[0]!);
    return this;
  }

  /** A value of `dtype` as its bit pattern. */
  scalar(v: number, dtype: DType): this {
    return dtype === 'float32'
      ? this.f32(v)
      : dtype === 'int32'
        ? this.i32(v)
        : this.u32(v ? 1 : 0);
  }

  words(): Uint32Array {
    return Uint32Array.from(this.#words, (w) => w >>> 0);
  }

  /** 16-byte rows needed (at least one). */
  rows(): number {
    return Math.max(1, Math.ceil(this.#words.length / 4));
  }
}

/** Rows of a parameter block sized for `words` words, rounded up so kernels of similar size share code. */
export function rowsFor(words: number): number {
  return Math.max(1, 2 ** Math.ceil(Math.log2(Math.ceil(words / 4))));
}

/** Scalar math library (float32), mirroring the CPU reference definitions. */
export const MATH_LIB = `
// private variables, not constants: WGSL constant evaluation rejects NaN and infinity
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn isnan_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn nan_f() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f() -> f32 { return bitcast<f32>(INF_BITS); }
fn sign_f(x: f32) -> f32 { return select(select(select(x, 0.0, x == 0.0), -1.0, x < 0.0), 1.0, x > 0.0); }
fn sqrt_f(x: f32) -> f32 { return select(sqrt(x), nan_f(), x < 0.0); }
fn log_f(x: f32) -> f32 {
  if (x < 0.0) { return nan_f(); }
  if (x == 0.0) { return -inf_f(); }
  return log(x);
}
// Polynomials near zero (drivers' exp/log are accurate only in absolute terms there, so the classic
// (e^x − 1)·x / log(e^x) trick is not enough on every adapter); the builtins elsewhere.
// e^x − 1 = Σ_{k≥1} x^k / k!, truncated after x^9 (error < 3e-10 relative for |x| < 0.5).
fn expm1_f(x: f32) -> f32 {
  if (abs(x) >= 0.5) { return exp(x) - 1.0; }
  return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0
    + x * (1.0 / 5040.0 + x * (1.0 / 40320.0 + x * (1.0 / 362880.0)))))))));
}
// log(1 + x) = 2 atanh(s) = 2 Σ s^{2k+1} / (2k+1) with s = x / (2 + x), |s| ≤ 1/3 for |x| < 0.5.
fn log1p_f(x: f32) -> f32 {
  if (abs(x) >= 0.5) { return log_f(1.0 + x); }
  let s = x / (2.0 + x);
  let z = s * s;
  return 2.0 * s * (1.0 + z * (1.0 / 3.0 + z * (1.0 / 5.0 + z * (1.0 / 7.0 + z * (1.0 / 9.0 + z * (1.0 / 11.0
    + z * (1.0 / 13.0 + z * (1.0 / 15.0 + z * (1.0 / 17.0 + z / 19.0)))))))));
}
// tanh(x) = -expm1(-2|x|) / (2 + expm1(-2|x|)) with the sign of x: no overflow, no cancellation.
fn tanh_f(x: f32) -> f32 {
  let e = expm1_f(-2.0 * abs(x));
  let t = -e / (2.0 + e);
  return select(t, -t, x < 0.0);
}
// σ(x) from e^{-|x|}, which never overflows.
fn sigmoid_f(x: f32) -> f32 {
  let e = exp(-abs(x));
  let s = 1.0 / (1.0 + e);
  return select(e * s, s, x >= 0.0);
}
fn max_f(a: f32, b: f32) -> f32 { return select(select(b, a, a > b), nan_f(), isnan_f(a) || isnan_f(b)); }
fn min_f(a: f32, b: f32) -> f32 { return select(select(b, a, a < b), nan_f(), isnan_f(a) || isnan_f(b)); }
fn pow_f(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (isnan_f(x) || isnan_f(y)) { return nan_f(); }
  let ax = abs(x);
  var r: f32;
  if (ax == 0.0) {
    r = select(inf_f(), 0.0, y > 0.0);
  } else {
    r = exp2(y * log2(ax));
    if (y == round(y) && abs(y) <= 16.0) {
      // small integer exponents: repeated squaring, exact where the CPU result is
      var b = select(ax, 1.0 / ax, y < 0.0);
      var n = u32(abs(y));
      var acc = 1.0;
      loop {
        if (n == 0u) { break; }
        if ((n & 1u) == 1u) { acc = acc * b; }
        b = b * b;
        n = n >> 1u;
      }
      r = acc;
    }
  }
  if (x < 0.0) {
    if (floor(y) != y) { return nan_f(); }
    if (floor(y * 0.5) != y * 0.5) { return -r; }
  }
  return r;
}
fn pow_i(a: i32, e: i32) -> i32 {
  if (e < 0) { return select(select(0, select(-1, 1, (e & 1) == 0), a == -1), 1, a == 1); }
  var b = a;
  var n = u32(e);
  var acc = 1;
  loop {
    if (n == 0u) { break; }
    if ((n & 1u) == 1u) { acc = acc * b; }
    b = b * b;
    n = n >> 1u;
  }
  return acc;
}
fn div_i(a: i32, b: i32) -> i32 { return select(a / b, 0, b == 0); }
fn div_u(a: u32, b: u32) -> u32 { return select(a / b, 0u, b == 0u); }
fn nonzero_f(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) != 0u; }
`;
