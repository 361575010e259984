/** Vega-Lite → Vega → SVG in Node, headless (no browser, no canvas). */
import * as vega from 'vega';
import { type TopLevelSpec, compile } from 'vega-lite';

/** Renders a Vega-Lite spec to an SVG string without the XML prologue, ready to inline in HTML. */
export async function svgOf(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return (await view.toSVG()).replace(/^<\?xml[^>]*>\s*/, '');
  } finally {
    view.finalize();
  }
}
