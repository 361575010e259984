import { type Generator, type NDArray, ValueError, fromTypedArray, mul } from '@sciml/linalg';
import { type RbmParams, checkVisible, freeEnergy, sampleHidden, sampleVisible } from './rbm.js';

/**
 * Replicas of a binary RBM for parallel tempering (Swendsen & Wang 1986; Geyer 1991; for RBMs Desjardins,
 * Courville, Bengio, Vincent & Delalleau 2010, "Tempered Markov chain Monte Carlo for training of restricted
 * Boltzmann machines", AISTATS): replica r holds `chains[r]` `[m, nv]`, m chains of the tempered machine
 * p_βᵣ(v, h) ∝ e^{−βᵣE(v,h)}, with β₀ = 1 (the machine itself) > β₁ > … > β_{R−1} > 0.
 */
export interface TemperedChains {
  /** Inverse temperatures, `betas[0] = 1`, strictly decreasing, all positive. */
  betas: number[];
  /** Visible states of each replica, `[m, nv]` each (chain c of every replica forms one swap ladder). */
  chains: NDArray[];
  /** Swap attempts and acceptances per adjacent pair (r, r + 1), accumulated over {@link temperedSwap} calls. */
  swaps: { attempted: number[]; accepted: number[] };
  /** Which pairs the next swap sweep attempts: even (0, 2, …) or odd (1, 3, …) — alternating (Lingenheil et al. 2009). */
  parity: 0 | 1;
}

/** Options of {@link temperedChains}. */
export interface TemperedChainsOptions {
  /** Random generator (random initial states when `init` is absent). */
  rng: Generator;
  /** Inverse temperatures, starting at 1 and strictly decreasing (default {@link geometricBetas}(10, 0.2)). */
  betas?: number[];
  /** Chains per replica (default 100; ignored when `init` is given). */
  chains?: number;
  /** Initial visible states `[m, nv]`, copied into every replica (default: uniformly random 0/1 states). */
  init?: NDArray;
}

/** R inverse temperatures from 1 down to `betaMin`, equally spaced in ln β (a geometric ladder). */
export function geometricBetas(replicas: number, betaMin: number): number[] {
  if (!Number.isInteger(replicas) || replicas < 2)
    throw new ValueError('geometricBetas', `replicas must be an integer ≥ 2, got ${replicas}`);
  if (!(betaMin > 0 && betaMin < 1))
    throw new ValueError('geometricBetas', `betaMin must lie in (0, 1), got ${betaMin}`);
  return Array.from({ length: replicas }, (_, r) => betaMin ** (r / (replicas - 1)));
}

function checkBetas(op: string, betas: number[]): void {
  if (betas.length < 2 || betas[0] !== 1)
    throw new ValueError(
      op,
      `betas must hold at least 2 values starting at 1, got [${betas.join(', ')}]`,
    );
  for (let r = 1; r < betas.length; r++)
    if (!(betas[r]! > 0 && betas[r]! < betas[r - 1]!))
      throw new ValueError(
        op,
        `betas must be positive and strictly decreasing, got [${betas.join(', ')}]`,
      );
}

/** The tempered machine βE: every parameter scaled by β. */
export function scaleRbm(params: RbmParams, beta: number): RbmParams {
  if (beta === 1) return params;
  return { W: mul(params.W, beta), a: mul(params.a, beta), b: mul(params.b, beta) };
}

/** Starts parallel-tempering replicas of a binary RBM (see {@link TemperedChains}). */
export function temperedChains(params: RbmParams, options: TemperedChainsOptions): TemperedChains {
  const betas = options.betas ?? geometricBetas(10, 0.2);
  checkBetas('temperedChains', betas);
  const nv = params.W.shape[0]!;
  let init = options.init;
  if (init !== undefined) checkVisible('temperedChains', params, init);
  else {
    const m = options.chains ?? 100;
    if (!Number.isInteger(m) || m < 1)
      throw new ValueError('temperedChains', `chains must be a positive integer, got ${m}`);
    const { rng } = options;
    init = fromTypedArray(
      Float64Array.from({ length: m * nv }, () => (rng.nextFloat() < 0.5 ? 1 : 0)),
      [m, nv],
    );
  }
  const pairs = betas.length - 1;
  return {
    betas: [...betas],
    chains: betas.map(() => init),
    swaps: { attempted: new Array(pairs).fill(0), accepted: new Array(pairs).fill(0) },
    parity: 0,
  };
}

/** One block-Gibbs step v → h → v in every replica r at its own βᵣ, skipping replica 0 when `skipFirst`. */
export function temperedGibbs(
  params: RbmParams,
  state: TemperedChains,
  rng: Generator,
  skipFirst = false,
): TemperedChains {
  const chains = state.chains.map((v, r) => {
    if (skipFirst && r === 0) return v;
    const p = scaleRbm(params, state.betas[r]!);
    return sampleVisible(p, sampleHidden(p, v, rng), rng);
  });
  return { ...state, chains };
}

/**
 * Replica-exchange moves between adjacent temperatures, chain by chain: the states of replicas r and r + 1 are
 * swapped with probability min(1, e^{F_r(v_r) + F_{r+1}(v_{r+1}) − F_r(v_{r+1}) − F_{r+1}(v_r)}), F_β the free
 * energy of the tempered machine (hidden units summed out), which keeps every p_β invariant. Alternates even
 * and odd pairs on successive calls.
 */
export function temperedSwap(
  params: RbmParams,
  state: TemperedChains,
  rng: Generator,
): TemperedChains {
  const R = state.betas.length;
  const chains = [...state.chains];
  const m = chains[0]!.shape[0]!;
  const nv = chains[0]!.shape[1]!;
  const attempted = [...state.swaps.attempted];
  const accepted = [...state.swaps.accepted];
  for (let r = state.parity; r + 1 < R; r += 2) {
    const pr = scaleRbm(params, state.betas[r]!);
    const ps = scaleRbm(params, state.betas[r + 1]!);
    const vr = chains[r]!;
    const vs = chains[r + 1]!;
    const frr = freeEnergy(pr, vr).dataSync();
    const fss = freeEnergy(ps, vs).dataSync();
    const frs = freeEnergy(pr, vs).dataSync();
    const fsr = freeEnergy(ps, vr).dataSync();
    const a = vr.dataSync();
    const b = vs.dataSync();
    const nr = new Float64Array(m * nv);
    const ns = new Float64Array(m * nv);
    let acc = 0;
    for (let c = 0; c < m; c++) {
      const logA = Number(frr[c]) + Number(fss[c]) - Number(frs[c]) - Number(fsr[c]);
      const swap = logA >= 0 || rng.nextFloat() < Math.exp(logA);
      if (swap) acc++;
      for (let i = 0; i < nv; i++) {
        nr[c * nv + i] = Number(swap ? b[c * nv + i] : a[c * nv + i]);
        ns[c * nv + i] = Number(swap ? a[c * nv + i] : b[c * nv + i]);
      }
    }
    chains[r] = fromTypedArray(nr, [m, nv]);
    chains[r + 1] = fromTypedArray(ns, [m, nv]);
    attempted[r] = attempted[r]! + m;
    accepted[r] = accepted[r]! + acc;
  }
  return { ...state, chains, swaps: { attempted, accepted }, parity: state.parity === 0 ? 1 : 0 };
}

/** Options of {@link temperedSamples}. */
export interface TemperedSamplesOptions extends TemperedChainsOptions {
  /** Gibbs steps (each followed by a swap sweep) discarded first (default 1000). */
  burnIn?: number;
  /** Number of recorded sets of samples (default 100). */
  n?: number;
  /** Steps between recorded sets (default 10). */
  thin?: number;
}

/**
 * Samples of a binary RBM by parallel tempering: `[n·m, nv]`, the β = 1 replica's m chains recorded every `thin`
 * steps after `burnIn`. The hot replicas cross the free-energy barriers between modes (e.g. the two ordered
 * phases of a model of Ising data) that single block-Gibbs chains at β = 1 do not cross in practice.
 */
export function temperedSamples(params: RbmParams, options: TemperedSamplesOptions): NDArray {
  const burnIn = options.burnIn ?? 1000;
  const n = options.n ?? 100;
  const thin = options.thin ?? 10;
  for (const [name, x, min] of [
    ['burnIn', burnIn, 0],
    ['n', n, 1],
    ['thin', thin, 1],
  ] as const)
    if (!Number.isInteger(x) || x < min)
      throw new ValueError('temperedSamples', `${name} must be an integer ≥ ${min}, got ${x}`);
  const { rng } = options;
  let state = temperedChains(params, options);
  const step = () => {
    state = temperedSwap(params, temperedGibbs(params, state, rng), rng);
  };
  for (let t = 0; t < burnIn; t++) step();
  const m = state.chains[0]!.shape[0]!;
  const nv = params.W.shape[0]!;
  const out = new Float64Array(n * m * nv);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < thin; t++) step();
    const d = state.chains[0]!.dataSync();
    for (let i = 0; i < m * nv; i++) out[k * m * nv + i] = Number(d[i]);
  }
  return fromTypedArray(out, [n * m, nv]);
}
