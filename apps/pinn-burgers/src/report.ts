/** The self-contained HTML report: inline CSS and SVG figures, no scripts, no external resources. */
import type { BurgersResult } from './pipeline.js';

/** The rendered figures, inline SVG. */
export interface Figures {
  solution: string;
  error: string;
  slices: string;
  loss: string;
  points: string;
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** Formats a number for the report: 3 significant digits in exponent form. */
export const sci = (v: number): string => v.toExponential(2);

/** The whole report as one HTML string. */
export function renderReport(
  r: BurgersResult,
  figures: Figures,
  meta: { generated: string },
): string {
  const c = r.config;
  const card = (k: string, v: string) =>
    `<div class="card"><div class="v">${v}</div><div class="k">${k}</div></div>`;
  const figure = (title: string, svg: string, caption: string) =>
    `<figure><h3>${escapeHtml(title)}</h3>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
  const last = r.history.at(-1);
  const terms = last
    ? Object.entries(last.terms)
        .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${sci(v)}</td></tr>`)
        .join('')
    : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Burgers' equation by a physics-informed network — @sciml</title>
<style>
  body { font: 15px/1.5 Helvetica, Arial, sans-serif; color: #222; max-width: 1000px; margin: 2rem auto; padding: 0 1.5rem; }
  h1 { font-size: 1.7rem; margin-bottom: 0.2rem; }
  h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
  h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
  .sub { color: #666; margin-top: 0; }
  .cards { display: flex; gap: 1rem; flex-wrap: wrap; margin: 1.2rem 0; }
  .card { flex: 1 1 160px; border: 1px solid #e3e3e3; border-radius: 6px; padding: 0.7rem 0.9rem; }
  .card .v { font-size: 1.4rem; font-weight: bold; }
  .card .k { color: #666; font-size: 0.85rem; }
  table { border-collapse: collapse; }
  th, td { border-bottom: 1px solid #eee; padding: 0.3rem 0.8rem; text-align: left; }
  figure { margin: 1rem 0; }
  figcaption { color: #666; font-size: 0.9rem; }
  svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Burgers' equation by a physics-informed neural network</h1>
<p class="sub">u<sub>t</sub> + u u<sub>x</sub> = (0.01/π) u<sub>xx</sub>, x ∈ [−1, 1], t ∈ [0, 1], u(x, 0) = −sin(πx),
u(±1, t) = 0 (Raissi, Perdikaris &amp; Karniadakis 2019), against the Cole–Hopf reference. Generated ${escapeHtml(meta.generated)}.</p>
<div class="cards">
${card('relative L2 error vs Cole–Hopf', sci(r.relL2))}
${card('max |error|', sci(r.maxError))}
${card('training time', `${r.trainSeconds.toFixed(1)} s`)}
${card('final loss', last ? sci(last.loss) : '—')}
</div>
<h2>Setup</h2>
<table>
<tr><th>network</th><td>${c.layers} × ${c.width} tanh on (cos πx, sin πx, t) → u, hard initial data û = −sin(πx) + t·N(x, t)</td></tr>
<tr><th>collocation</th><td>${c.points} random points${c.resampleEvery > 0 ? `, RAD resampling every ${c.resampleEvery} Adam steps and quasi-Newton iterations (k = 1, c = 1)` : ''}</td></tr>
<tr><th>training</th><td>Adam ${c.adamSteps} steps (lr ${c.lr}), then the dense self-scaled Broyden quasi-Newton method, ${r.quasiNewtonIterations} iterations (of at most ${c.quasiNewtonIterations}); loss and gradient compiled by jit</td></tr>
<tr><th>evaluation</th><td>${c.nx} × ${c.nt} grid</td></tr>
</table>
<h3>Final loss terms</h3>
<table><tr><th>term</th><th>mean square</th></tr>${terms}</table>
<h2>Solution</h2>
${figure('PINN solution u(x, t)', figures.solution, 'The shock forms at x = 0 around t ≈ 0.3.')}
${figure('Error |u − u_ref|', figures.error, 'Absolute error against the Cole–Hopf reference; it concentrates at the shock.')}
${figure('Slices', figures.slices, 'PINN (dashed) over the reference (solid).')}
<h2>Training</h2>
${figure('Loss', figures.loss, 'Unweighted mean square of each term and the weighted total.')}
${figure('Collocation points', figures.points, 'RAD moves points toward the shock, where the residual is largest.')}
</body>
</html>
`;
}
