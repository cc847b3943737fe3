/**
 * Own text: what the author of a message wrote themselves, as opposed to what they quoted, the
 * patch they attached, their signature and their trailers. There is one definition in the project,
 * the argument graph's line classes (`classifyLines` in src/graph/segment.ts; docs/decisions.md
 * §3.2), which decision records, claims and the site all use, so `#p4` is the same paragraph in a
 * record citation, in the graph and in a page anchor. This module adapts it for display and
 * search: every line with its kind and quote depth, own-text paragraphs, own text as one string.
 */
import {
  classifyLines,
  quoteDepth as graphQuoteDepth,
  splitLines,
  stripQuote as graphStripQuote,
} from '../graph/segment.ts';

/** What a body line is, for display and indexing. */
export type LineKind =
  | 'own'
  | 'blank'
  | 'quote'
  | 'attribution'
  | 'snip'
  | 'trailer'
  /** The signature, from the `-- ` line on. */
  | 'signature'
  /** The patch part (diffstat, diffs, and anything after a `---` that starts it). */
  | 'patch';

export interface Line {
  text: string;
  kind: LineKind;
  /** Quote depth (number of `>` markers; 1 for an unmarked Outlook-style quote) for quote lines, else 0. */
  depth: number;
  /** Own-text paragraph number (1-based) for own lines, else 0. */
  para: number;
}

const KIND: Record<string, LineKind> = {
  own: 'own',
  blank: 'blank',
  quote: 'quote',
  attr: 'attribution',
  snip: 'snip',
  trailer: 'trailer',
  sig: 'signature',
  patch: 'patch',
};

/** Number of `>` markers at the start of a quote line, or 0. */
export function quoteDepth(line: string): number {
  return graphQuoteDepth(line);
}

/** A quote line without its markers. */
export function stripQuote(line: string): string {
  return graphStripQuote(line);
}

/** Classify every line of a body and number the own-text paragraphs. */
export function classify(body: string): Line[] {
  const lines = splitLines(body).text;
  const { cls } = classifyLines(lines);
  const out: Line[] = [];
  let para = 0;
  let inPara = false;
  for (let i = 0; i < lines.length; i++) {
    const kind = KIND[cls[i]!] ?? 'own';
    if (kind === 'own') {
      if (!inPara) para++;
      inPara = true;
    } else inPara = false;
    const d = kind === 'quote' ? quoteDepth(lines[i]!) : 0;
    out.push({
      text: lines[i]!,
      kind,
      // Outlook-style quotes (after `-----Original Message-----`) carry no `>`: depth 1.
      depth: kind === 'quote' ? Math.max(d, 1) : 0,
      para: kind === 'own' ? para : 0,
    });
  }
  return out;
}

/** The own-text paragraphs of a body, in order (paragraph N is element N-1). */
export function ownParagraphs(body: string): string[] {
  const paras: string[] = [];
  for (const l of classify(body)) {
    if (l.kind !== 'own') continue;
    if (paras.length < l.para) paras.push(l.text);
    else paras[l.para - 1] += '\n' + l.text;
  }
  return paras;
}

/** Own text as one string (paragraphs separated by blank lines), cut at `cap` characters. */
export function ownText(body: string, cap = Infinity): string {
  const t = ownParagraphs(body).join('\n\n');
  return t.length > cap ? t.slice(0, cap) : t;
}

/** Whitespace-normalised text: every run of whitespace is one space, trimmed (§3.3). */
export function normalizeSpace(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
