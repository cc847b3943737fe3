/**
 * The argument map: proposal → objections → responses → outcome, laid out with dagre at build
 * time and emitted as static SVG (no script needed, no layout jitter: dagre is deterministic for
 * the same input order, so the same archive gives the same picture and the same screenshots).
 * Styling is by class (the CSP forbids style attributes); geometry uses SVG presentation
 * attributes, which CSP does not touch.
 */
import { Graph, layout as dagreLayout } from '@dagrejs/dagre';
import { html, type SafeHtml } from './html.ts';

export type MapNodeKind = 'proposal' | 'objection' | 'response' | 'outcome' | 'claim';

export interface MapNode {
  id: string;
  kind: MapNodeKind;
  /** Lines of text (first line bold). */
  title: string;
  sub?: string;
  /** A status class (`conceded`, `open` …) for colouring. */
  status?: string;
  href?: string;
}

export interface MapEdge {
  from: string;
  to: string;
  label?: string;
  /** Ranks the edge must span (pushes the outcome below the responses). */
  minlen?: number;
}

/** Average glyph width at 12px (bold titles are wider than regular text). */
const CHAR_W = 7.3;
const CHAR_W_BOLD = 8.1;
const LINE_H = 15;
const PAD = 8;
const MAX_CHARS = 34;
/** Most nodes drawn; a bigger graph is cut (with a note) so a hostile thread cannot stall the build. */
export const MAX_NODES = 400;

/** Wrap text into lines of at most `max` characters (long words are cut). */
export function wrap(text: string, max = MAX_CHARS, maxLines = 4): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const w = word.length > max ? word.slice(0, max - 1) + '…' : word;
    if (!cur) cur = w;
    else if (cur.length + 1 + w.length <= max) cur += ' ' + w;
    else {
      lines.push(cur);
      cur = w;
    }
  }
  if (cur) lines.push(cur);
  if (lines.length > maxLines) {
    const cut = lines.slice(0, maxLines);
    cut[maxLines - 1] = cut[maxLines - 1]!.slice(0, max - 1) + '…';
    return cut;
  }
  return lines;
}

interface Laid {
  node: MapNode;
  lines: string[];
  subLines: string[];
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Lay the graph out and render it as an SVG element. */
export function renderMap(nodes: MapNode[], edges: MapEdge[], label: string): SafeHtml {
  const kept = nodes.slice(0, MAX_NODES);
  const ids = new Set(kept.map((n) => n.id));
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 60, edgesep: 8, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  const laid = new Map<string, Laid>();
  for (const n of kept) {
    const lines = wrap(n.title);
    const subLines = n.sub ? wrap(n.sub, MAX_CHARS, 2) : [];
    // the first line is bold (class ntitle), and bold glyphs are wider
    const textW = Math.max(
      (lines[0]?.length ?? 0) * CHAR_W_BOLD,
      ...lines.slice(1).map((l) => l.length * CHAR_W),
      ...subLines.map((l) => l.length * CHAR_W),
      6 * CHAR_W,
    );
    const w = Math.ceil(textW + 2 * PAD);
    const h = (lines.length + subLines.length) * LINE_H + 2 * PAD;
    laid.set(n.id, { node: n, lines, subLines, x: 0, y: 0, w, h });
    g.setNode(n.id, { width: w, height: h });
  }
  for (const e of edges) {
    if (!ids.has(e.from) || !ids.has(e.to) || e.from === e.to) continue;
    g.setEdge(e.from, e.to, {
      minlen: e.minlen ?? 1,
      label: e.label ?? '',
      width: e.label ? e.label.length * 5.6 : 0,
      height: e.label ? 12 : 0,
      labelpos: 'c',
    });
  }
  dagreLayout(g);
  for (const id of g.nodes()) {
    const n = g.node(id) as { x: number; y: number };
    const l = laid.get(id)!;
    l.x = n.x;
    l.y = n.y;
  }
  const gl = g.graph() as { width?: number; height?: number };
  const W = Math.ceil(gl.width ?? 100);
  const H = Math.ceil(gl.height ?? 100);
  const edgeSvg = g.edges().map((e: Parameters<typeof g.edge>[0]) => {
    const ed = g.edge(e) as { points: { x: number; y: number }[]; label?: string; x?: number; y?: number };
    const d = ed.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    return html`<g class="edge"><path d="${d}" marker-end="url(#arrow)"></path>${
      ed.label
        ? html`<text class="elabel" x="${(ed.x ?? 0).toFixed(1)}" y="${((ed.y ?? 0) + 4).toFixed(1)}" text-anchor="middle">${ed.label}</text>`
        : ''
    }</g>`;
  });
  const nodeSvg = [...laid.values()].map((l) => {
    const x0 = l.x - l.w / 2;
    const y0 = l.y - l.h / 2;
    const text = html`<text x="${(x0 + PAD).toFixed(1)}" y="${(y0 + PAD + 11).toFixed(1)}">${l.lines.map(
      (line, i) =>
        html`<tspan class="${i === 0 ? 'ntitle' : ''}" x="${(x0 + PAD).toFixed(1)}" dy="${i === 0 ? 0 : LINE_H}">${line}</tspan>`,
    )}${l.subLines.map((line) => html`<tspan class="nsub" x="${(x0 + PAD).toFixed(1)}" dy="${LINE_H}">${line}</tspan>`)}</text>`;
    const box = html`<rect x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${l.w}" height="${l.h}" rx="6"></rect>${text}`;
    const cls = `node ${l.node.kind}${l.node.status ? ' st-' + l.node.status : ''}`;
    return l.node.href
      ? html`<g class="${cls}"><a href="${l.node.href}"><title>${[...l.lines, ...l.subLines].join(' ')}</title>${box}</a></g>`
      : html`<g class="${cls}">${box}</g>`;
  });
  const note =
    nodes.length > kept.length
      ? html`<p class="muted">Only the first ${MAX_NODES} of ${nodes.length} nodes are drawn.</p>`
      : '';
  return html`<div class="mapwrap"><svg class="argmap" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${label}" xmlns="http://www.w3.org/2000/svg">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"></path></marker></defs>
${edgeSvg}${nodeSvg}</svg></div>${note}`;
}
