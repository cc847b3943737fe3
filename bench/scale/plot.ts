/**
 * The scaling curve as an SVG, and the fits used to extrapolate it:
 * `node --import tsx bench/scale/plot.ts [RESULTS.json] [--out docs/images/scaling.svg] [--at 140] [--json]`.
 *
 * Reads bench/scale/run.ts's results (default /tmp/scale/results.json) and draws three panels
 * against the factor: ingest time (argmap, notmuch), database size (argmap, notmuch) and peak RSS
 * (argmap ingest, notmuch, the server, the site build). A dotted line in each panel is "exactly
 * proportional to the 1× figure", so bending away from it is visible. It prints, per quantity, a
 * power-law fit y = a·N^b (least squares in log–log) with the exponent's standard error, and the
 * value at `--at` (default 140: LKML, ≈ 5M messages, against the 36k of the shared archive).
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** A power law fitted to (factor, value) points, in log–log space. */
export interface PowerFit {
  a: number;
  b: number;
  /** Standard error of b (NaN with two points: two points fix a line, nothing is left to estimate it). */
  bStdErr: number;
  points: number;
}

/** Least squares of log y on log x. */
export function fitPower(pts: [number, number][]): PowerFit {
  const xs = pts.map(([x]) => Math.log(x));
  const ys = pts.map(([, y]) => Math.log(y));
  const n = pts.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const b = sxy / sxx;
  const a = Math.exp(my - b * mx);
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (Math.log(a) + b * xs[i]!)) ** 2;
  const bStdErr = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  return { a, b, bStdErr, points: n };
}

/** The fit's value at x, and the range the exponent's ±1 standard error gives (pivoting at the data's last point). */
export function extrapolate(
  f: PowerFit,
  x: number,
  lastX: number,
): { value: number; low: number; high: number } {
  const value = f.a * x ** f.b;
  const at = f.a * lastX ** f.b;
  const e = Number.isFinite(f.bStdErr) ? f.bStdErr : 0;
  return { value, low: at * (x / lastX) ** (f.b - e), high: at * (x / lastX) ** (f.b + e) };
}

interface Series {
  name: string;
  color: string;
  pts: [number, number][];
}

const COLORS = ['#1f5fa8', '#c0392b', '#27894a', '#8e44ad', '#7fa7d6', '#e49a91'];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

/** One panel: axes from 0, a polyline and dots per series, the proportional line of the first series. */
function panel(x0: number, title: string, unit: string, series: Series[], factors: number[]): string {
  const W = 300;
  const H = 220;
  const L = 52;
  const T = 30;
  const pw = W - L - 12;
  const ph = H - T - 40;
  const xmax = Math.max(...factors);
  const ymax = niceMax(Math.max(...series.flatMap((s) => s.pts.map(([, y]) => y))) * 1.05);
  const X = (x: number): number => x0 + L + (x / xmax) * pw;
  const Y = (y: number): number => T + ph - (y / ymax) * ph;
  const out: string[] = [];
  out.push(
    `<text x="${x0 + L + pw / 2}" y="16" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  );
  out.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(xmax)}" y2="${Y(0)}" stroke="#333"/>`);
  out.push(`<line x1="${X(0)}" y1="${Y(0)}" x2="${X(0)}" y2="${Y(ymax)}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (ymax * i) / 4;
    out.push(
      `<line x1="${X(0)}" y1="${Y(v)}" x2="${X(xmax)}" y2="${Y(v)}" stroke="#ddd"/>` +
        `<text x="${X(0) - 4}" y="${Y(v) + 4}" text-anchor="end">${+v.toPrecision(3)}</text>`,
    );
  }
  for (const f of factors) out.push(`<text x="${X(f)}" y="${Y(0) + 14}" text-anchor="middle">${f}×</text>`);
  out.push(
    `<text x="${x0 + L + pw / 2}" y="${H - 6}" text-anchor="middle">archive size (× 36k messages)</text>`,
  );
  out.push(
    `<text x="${x0 + 12}" y="${T + ph / 2}" text-anchor="middle" transform="rotate(-90 ${x0 + 12} ${T + ph / 2})">${esc(unit)}</text>`,
  );
  const first = series[0]?.pts.find(([x]) => x === 1);
  if (first)
    out.push(
      `<line x1="${X(0)}" y1="${Y(0)}" x2="${X(xmax)}" y2="${Y(Math.min(ymax, first[1] * xmax))}" stroke="${series[0]!.color}" stroke-dasharray="2 3" opacity="0.6"/>`,
    );
  series
    .filter((s) => s.pts.length)
    .forEach((s, i) => {
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${s.pts.map(([x, y]) => `${X(x)},${Y(y)}`).join(' ')}"/>`,
      );
      for (const [x, y] of s.pts) out.push(`<circle cx="${X(x)}" cy="${Y(y)}" r="3" fill="${s.color}"/>`);
      out.push(
        `<rect x="${x0 + L + 6}" y="${T + 4 + i * 14}" width="10" height="3" fill="${s.color}"/>` +
          `<text x="${x0 + L + 20}" y="${T + 9 + i * 14}">${esc(s.name)}</text>`,
      );
    });
  return out.join('\n');
}

type Run = Record<string, unknown> & { factor: number };

function num(r: Run, path: string): number | null {
  let v: unknown = r;
  for (const k of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[k];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function seriesOf(runs: Run[], name: string, path: string, color: string): Series {
  return {
    name,
    color,
    pts: runs.flatMap((r) => {
      const v = num(r, path);
      return v === null ? [] : [[r.factor, v] as [number, number]];
    }),
  };
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('-h') || args.includes('--help')) {
    console.log(
      'usage: node --import tsx bench/scale/plot.ts [RESULTS.json] [--out FILE.svg] [--at FACTOR] [--json]',
    );
    return;
  }
  const opt = (k: string): string | undefined => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const file =
    args.find((a, i) => !a.startsWith('--') && !['--out', '--at'].includes(args[i - 1] ?? '')) ??
    '/tmp/scale/results.json';
  const out = opt('--out') ?? 'docs/images/scaling.svg';
  const at = Number(opt('--at') ?? 140);
  const runs = Object.values(
    (JSON.parse(readFileSync(file, 'utf8')) as { runs: Record<string, Run> }).runs,
  ).sort((a, b) => a.factor - b.factor);
  const factors = runs.map((r) => r.factor);
  const panels: [string, string, Series[]][] = [
    [
      'Ingest time',
      'seconds',
      [
        seriesOf(runs, 'argmap ingest', 'argmap.seconds', COLORS[0]!),
        seriesOf(runs, 'notmuch new', 'notmuch.seconds', COLORS[1]!),
        seriesOf(runs, 'argmap CPU', 'argmap.cpuSeconds', COLORS[4]!),
        seriesOf(runs, 'notmuch CPU', 'notmuch.cpuSeconds', COLORS[5]!),
      ],
    ],
    [
      'Database size',
      'MB',
      [
        seriesOf(runs, 'argmap SQLite', 'argmap.databaseMB', COLORS[0]!),
        seriesOf(runs, 'notmuch Xapian', 'notmuch.databaseMB', COLORS[1]!),
        seriesOf(runs, 'mbox (uncompressed)', 'mboxMB', COLORS[2]!),
      ],
    ],
    [
      'Peak RSS',
      'MB',
      [
        seriesOf(runs, 'argmap ingest', 'argmap.peakRssMB', COLORS[0]!),
        seriesOf(runs, 'notmuch new', 'notmuch.peakRssMB', COLORS[1]!),
        seriesOf(runs, 'argmap serve --db', 'server.peakRssMB', COLORS[2]!),
        seriesOf(runs, 'argmap build', 'site.peakRssMB', COLORS[3]!),
      ],
    ],
  ];
  const width = 3 * 310;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="230" viewBox="0 0 ${width} 230" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...panels.map(([t, u, s], i) => panel(i * 310, t, u, s, factors)),
    `</svg>`,
  ].join('\n');
  writeFileSync(out, svg + '\n');
  const fits: Record<string, unknown> = {};
  for (const [key, path] of [
    ['argmap ingest s', 'argmap.seconds'],
    ['argmap ingest CPU s', 'argmap.cpuSeconds'],
    ['argmap ingest without graph s', 'argmap.withoutGraph.seconds'],
    ['notmuch new CPU s', 'notmuch.cpuSeconds'],
    ['notmuch new s', 'notmuch.seconds'],
    ['argmap DB MB', 'argmap.databaseMB'],
    ['notmuch DB MB', 'notmuch.databaseMB'],
    ['argmap ingest peak RSS MB', 'argmap.peakRssMB'],
    ['server peak RSS MB', 'server.peakRssMB'],
    ['server start s', 'server.startSeconds'],
    ['FTS p95 ms', 'fts.warm.p95'],
    ['thread page (500) p95 ms', 'server.pages.500.warm.p95'],
    ['server search p95 ms', 'server.search.p95'],
  ] as const) {
    const pts = seriesOf(runs, key, path, '').pts;
    if (pts.length < 2) continue;
    const f = fitPower(pts);
    const e = extrapolate(f, at, pts.at(-1)![0]);
    fits[key] = {
      b: +f.b.toFixed(3),
      bStdErr: +f.bStdErr.toFixed(3),
      points: pts.map(([x, y]) => `${x}×: ${y}`),
      [`at${at}`]: +e.value.toPrecision(3),
      range: [+e.low.toPrecision(3), +e.high.toPrecision(3)],
    };
  }
  if (args.includes('--json')) console.log(JSON.stringify({ svg: out, fits }, null, 2));
  else {
    console.log(`wrote ${out}`);
    for (const [k, v] of Object.entries(fits)) console.log(`${k}: ${JSON.stringify(v)}`);
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) main();
