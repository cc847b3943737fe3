/**
 * A sweep of a scenario file as a standalone SVG (docs/images/controller-sweep.svg): memory saved
 * (percent of what the cgroup holds without the controller) against the jobs' slowdown (percent),
 * one labelled point per swept value. Pure string building, so it runs wherever the model does.
 */
import type { TreeSweepResult } from './tree-run.ts';

const W = 640;
const H = 400;
const M = { left: 64, right: 24, top: 48, bottom: 56 };

/** Escape text for an SVG text node or attribute. */
function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Round tick steps: 1, 2 or 5 times a power of ten, about `n` ticks over [0, max]. */
export function niceStep(max: number, n = 5): number {
  if (!(max > 0)) return 1;
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** The plot's coordinates of each point (exported for the test). */
export function sweepCoordinates(sw: TreeSweepResult): {
  xMax: number;
  yMax: number;
  points: { value: number | null; x: number; y: number; px: number; py: number }[];
} {
  const pts = sw.points.filter((p) => p.slowdown !== null);
  const xs = pts.map((p) => 100 * (p.slowdown as number));
  const ys = pts.map((p) => p.savedPct);
  const xStep = niceStep(Math.max(...xs, 0.1));
  const yStep = niceStep(Math.max(...ys, 1));
  const xMax = Math.ceil(Math.max(...xs, 0.1) / xStep) * xStep;
  const yMax = Math.ceil(Math.max(...ys, 1) / yStep) * yStep;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  return {
    xMax,
    yMax,
    points: pts.map((p, i) => {
      const x = xs[i] ?? 0;
      const y = ys[i] ?? 0;
      return { value: p.value, x, y, px: M.left + (x / xMax) * pw, py: M.top + ph - (y / yMax) * ph };
    }),
  };
}

/** The SVG document. */
export function sweepSvg(sw: TreeSweepResult, title: string): string {
  const { xMax, yMax, points } = sweepCoordinates(sw);
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="600">${esc(title)}</text>`,
  );
  const xStep = niceStep(xMax);
  const yStep = niceStep(yMax);
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    const x = M.left + (v / xMax) * pw;
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${M.top}" x2="${x.toFixed(1)}" y2="${M.top + ph}" stroke="#d0d7de"/>`,
      `<text x="${x.toFixed(1)}" y="${M.top + ph + 16}" text-anchor="middle">${+v.toFixed(6)}</text>`,
    );
  }
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    const y = M.top + ph - (v / yMax) * ph;
    out.push(
      `<line x1="${M.left}" y1="${y.toFixed(1)}" x2="${M.left + pw}" y2="${y.toFixed(1)}" stroke="#d0d7de"/>`,
      `<text x="${M.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end">${+v.toFixed(6)}</text>`,
    );
  }
  out.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#57606a"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 14}" text-anchor="middle">job slowdown against the unconstrained twin (%)</text>`,
    `<text transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">memory saved (% of ${sw.referenceUsageMeanMiB.toFixed(0)} MiB without the controller)</text>`,
  );
  if (points.length > 1)
    out.push(
      `<polyline fill="none" stroke="#2f6fb0" stroke-width="1.5" points="${points.map((p) => `${p.px.toFixed(1)},${p.py.toFixed(1)}`).join(' ')}"/>`,
    );
  for (const p of points) {
    out.push(
      `<circle cx="${p.px.toFixed(1)}" cy="${p.py.toFixed(1)}" r="4" fill="#2f6fb0"><title>${esc(`${sw.key} = ${p.value}: saved ${p.y.toFixed(2)}%, slowdown ${p.x.toFixed(2)}%`)}</title></circle>`,
      `<text x="${(p.px + 6).toFixed(1)}" y="${(p.py - 6).toFixed(1)}" fill="#1f2328">${esc(String(p.value))}</text>`,
    );
  }
  out.push(
    `<text x="${M.left + 6}" y="${M.top + 14}" fill="#57606a">labels: ${esc(sw.key)}</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}
