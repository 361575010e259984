/** The self-contained HTML report: inline CSS and SVG figures, no scripts, no external resources. */
import type { EmulatorResult } from './emulator.js';
import { type CoefficientRow, type DemoResult, LYAPUNOV } from './pipeline.js';

/** The rendered figures, SVG documents. */
export interface Figures {
  coefficients: string;
  attractor: string;
  trajectories: string;
  errorGrowth: string;
  derivatives: string;
  inclusion: string;
  /** The emulator section's figures (present when the run trained emulators). */
  emulatorTrajectories?: string;
  emulatorError?: string;
  ensemble?: string;
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

const pct = (v: number) => `${(100 * v).toFixed(v < 0.001 ? 4 : 2)}%`;
const num = (v: number) => (v === 0 ? '0' : v.toFixed(4));

/** Strips the XML prologue so an SVG document can sit inline in HTML. */
function inlineSvg(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}

function coefficientRows(rows: readonly CoefficientRow[]): string {
  return rows
    .filter((r) => r.truth !== 0 || r.discovered !== 0)
    .map((r) => {
      const err =
        r.relativeError === undefined ? '<span class="bad">spurious</span>' : pct(r.relativeError);
      return `<tr><td>${escapeHtml(r.equation)}</td><td><code>${escapeHtml(r.term)}</code></td><td>${num(r.truth)}</td><td>${num(r.discovered)}</td><td>${err}</td><td>${r.inclusion.toFixed(2)}</td></tr>`;
    })
    .join('\n');
}

/** The emulator section: rollouts, error growth and the ensemble band (empty without emulator figures). */
function emulatorSection(
  emu: EmulatorResult | undefined,
  figures: Figures,
  figure: (title: string, svg: string, caption: string) => string,
  config: { models: number; members: number; coverageTime: number } | undefined,
): string {
  if (
    !emu ||
    !config ||
    !figures.emulatorTrajectories ||
    !figures.emulatorError ||
    !figures.ensemble
  )
    return '';
  const p = Array.from(emu.perturbation, (v) => v.toFixed(3)).join(', ');
  return `
<h2>Neural emulator</h2>
<p>A black-box alternative to SINDy: an autoregressive step map ũᵢ₊₁ = ũᵢ + Δt·N(ũᵢ) (Euler-residual form; N a 3-32-32-3 tanh network, <code>autoregressiveEmulator</code>), trained by L-BFGS on the one-step loss over the same noisy samples (every 5th, Δt = 0.01), then rolled out on its own outputs.</p>
<div class="cards">
  <div class="card"><div class="v">${emu.emulatorVpt.toFixed(2)}</div><div class="k">emulator's valid prediction time (Lyapunov times; error ≤ 0.4)</div></div>
  <div class="card"><div class="v">${emu.sindyVpt.toFixed(2)}</div><div class="k">SINDy model's valid prediction time</div></div>
  <div class="card"><div class="v">${emu.oneStepError.toExponential(2)}</div><div class="k">emulator's normalised one-step error</div></div>
  <div class="card"><div class="v">${pct(emu.coverage)}</div><div class="k">truth inside the ensemble's ±2σ band over ${(config.coverageTime * LYAPUNOV).toFixed(1)} Lyapunov time</div></div>
</div>
${figure('Truth, SINDy model and neural emulator from the same initial state', figures.emulatorTrajectories, 'The SINDy model integrates discovered equations with RK45; the emulator iterates its learned map every Δt = 0.01.')}
${figure('Error growth', figures.emulatorError, 'Normalised error ‖u − ũ‖/⟨‖u‖²⟩^½ against lead time; the valid prediction time ends where it first crosses 0.4 (dotted; Pathak et al. 2018).')}
${figure('Ensemble forecast', figures.ensemble, `Mean ± 2σ of ${config.models} independently trained emulators (a deep ensemble) × ${config.members} initial states perturbed by the one-step training residual (RMS ${p} in x, y, z), with the truth (black).`)}
`;
}

/** The whole report as one HTML string. */
export function renderReport(
  result: DemoResult,
  figures: Figures,
  meta: { seconds: number; generated: string },
): string {
  const c = result.config;
  const zeros = result.coefficients.filter((r) => r.truth === 0 && r.discovered === 0).length;
  const equations = result.trueEquations
    .map(
      (eq, i) =>
        `<tr><td><code>${escapeHtml(eq)}</code></td><td><code>${escapeHtml(result.discoveredEquations[i]!)}</code></td></tr>`,
    )
    .join('\n');
  const diverge = Number.isFinite(result.test.divergenceTime)
    ? `${result.test.divergenceTime.toFixed(2)} time units`
    : `more than ${c.testTime} time units`;
  const figure = (title: string, svg: string, caption: string) =>
    `<figure><h3>${title}</h3>${inlineSvg(svg)}<figcaption>${caption}</figcaption></figure>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SINDy rediscovers the Lorenz equations — @sciml</title>
<style>
  body { font: 15px/1.5 Helvetica, Arial, sans-serif; color: #222; max-width: 1000px; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
  h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
  h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
  .sub { color: #666; margin-top: 0; }
  .cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.2rem 0; }
  .card { flex: 1 1 180px; border: 1px solid #e3e3e3; border-radius: 6px; padding: 0.7rem 0.9rem; }
  .card .v { font-size: 1.4rem; font-weight: bold; }
  .card .k { color: #666; font-size: 0.85rem; }
  table { border-collapse: collapse; margin: 0.5rem 0; }
  th, td { border-bottom: 1px solid #eee; padding: 0.3rem 0.8rem; text-align: left; }
  th { background: #f6f6f6; }
  td:nth-child(n+3) { font-variant-numeric: tabular-nums; }
  code { font: 14px Menlo, Consolas, monospace; }
  .eq td { padding: 0.45rem 1rem; }
  figure { margin: 1rem 0 1.6rem; }
  figure svg { max-width: 100%; height: auto; }
  figcaption { color: #555; font-size: 0.9rem; }
  .bad { color: #b00020; font-weight: bold; }
  footer { color: #777; font-size: 0.85rem; margin-top: 3rem; border-top: 1px solid #ddd; padding-top: 0.6rem; }
</style>
</head>
<body>
<h1>SINDy rediscovers the Lorenz equations</h1>
<p class="sub">Sparse identification of nonlinear dynamics (Brunton, Proctor &amp; Kutz 2016) with <code>@sciml/physics</code>, from noisy samples of a chaotic trajectory.</p>

<div class="cards">
  <div class="card"><div class="v">${pct(result.worstRelativeError)}</div><div class="k">largest coefficient error (7 true terms)</div></div>
  <div class="card"><div class="v">${result.spuriousTerms}</div><div class="k">spurious terms (of ${result.coefficients.length - 7} zero terms)</div></div>
  <div class="card"><div class="v">${result.r2.toFixed(6)}</div><div class="k">R² of the model's derivatives vs the true ones</div></div>
  <div class="card"><div class="v">${diverge}</div><div class="k">before the discovered trajectory leaves the true one (chaos)</div></div>
</div>

<h2>The equations</h2>
<table class="eq"><tr><th>true Lorenz-63 (σ = 10, ρ = 28, β = 8/3)</th><th>discovered by SINDy from noisy data</th></tr>
${equations}
</table>
<p>Data: ${Math.round(c.trainTime / c.dt)} samples of one trajectory, every dt = ${c.dt}, with Gaussian noise of ${100 * c.noise}% of the signal's RMS (seed ${c.seed}).
Derivatives by Savitzky–Golay (window ${c.window}, degree ${c.polyorder}); library: the ${result.model.termNames.length} monomials of degree ≤ 2;
optimiser: sequentially thresholded least squares (threshold ${c.threshold}).</p>

<h2>Coefficients</h2>
${figure('True and discovered coefficients of every library term', figures.coefficients, 'Each panel is one equation; bars are the coefficient of each candidate term. SINDy keeps exactly the seven terms of the Lorenz system.')}
<table>
<tr><th>equation</th><th>term</th><th>true</th><th>discovered</th><th>relative error</th><th>inclusion</th></tr>
${coefficientRows(result.coefficients)}
</table>
<p>The other ${zeros} coefficients are zero in both. "Inclusion" is the fraction of ${c.ensembleModels} bootstrap models (Ensemble-SINDy, Fasel et al. 2022) that kept the term.</p>
${figure('Inclusion probabilities', figures.inclusion, 'Fraction of bootstrap models that kept each term: the true terms in every model, the others in none.')}

<h2>Trajectories</h2>
${figure('Attractor projections', figures.attractor, 'Noisy training samples (points) and a long simulation of the discovered equations from a new initial state (line).')}
${figure('True vs discovered trajectory from the same initial state', figures.trajectories, `Both integrated with RK45 (rtol 1e-10). Relative error over the first 2 time units: ${pct(result.test.shortRolloutError)}. The dotted line marks where the two are 4 units apart.`)}
${figure('Distance between the two states', figures.errorGrowth, 'Any model error grows like e^(λt) on a chaotic attractor (λ ≈ 0.906, the largest Lyapunov exponent), so the trajectories must separate eventually; how late measures how accurate the model is.')}

${emulatorSection(result.emulator, figures, figure, result.emulatorConfig)}
<h2>Derivatives from noisy data</h2>
${figure('dx/dt over the first time unit', figures.derivatives, `Relative RMS error against the true derivative: finite differences ${pct(result.derivatives.fdError)}, Savitzky–Golay ${pct(result.derivatives.sgError)}.`)}

<footer>Generated ${escapeHtml(meta.generated)} by <code>apps/lorenz-discovery</code> in ${meta.seconds.toFixed(1)} s. Plots: Vega-Lite rendered to SVG in Node.</footer>
</body>
</html>
`;
}
