/**
 * A message body as the site shows it: own-text paragraphs (numbered as decision records cite
 * them), quoted regions folded to one line with each quoted fragment linked to the paragraph it
 * came from, attribution/snip/trailer lines, the signature and the patch part.
 *
 * Quote sources: a fragment at quote depth d was usually written by the d-th ancestor, so the
 * ancestors are searched from there outwards, and the fragment's text (whitespace-normalised)
 * must occur in one of that ancestor's own-text paragraphs. No match, no link: a guessed source
 * would send readers to words nobody said there.
 */
import { classify, normalizeSpace, stripQuote, type Line } from '../mail/owntext.ts';
import { html, type SafeHtml } from './html.ts';
import { renderPatch } from './diff.ts';

export interface Fragment {
  depth: number;
  lines: string[];
  /** Whitespace-normalised text without quote markers. */
  text: string;
  /** An attribution line inside the quote (`> On … wrote:`): never linked. */
  attribution: boolean;
  /** The reply's own text follows this fragment directly: the reply answers it. */
  answered: boolean;
  source?: { messageId: string; para: number };
}

export type Block =
  | { kind: 'para'; n: number; lines: string[] }
  | { kind: 'quote'; fragments: Fragment[]; lineCount: number }
  | { kind: 'attribution' | 'snip' | 'trailer' | 'signature' | 'patch'; lines: string[] };

/** Group classified lines into blocks. Blank lines only separate blocks. */
export function toBlocks(lines: Line[]): Block[] {
  const out: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.kind === 'blank') {
      i++;
      continue;
    }
    if (l.kind === 'own') {
      const para: string[] = [];
      const n = l.para;
      while (i < lines.length && lines[i]!.kind === 'own' && lines[i]!.para === n)
        para.push(lines[i++]!.text);
      out.push({ kind: 'para', n, lines: para });
      continue;
    }
    if (l.kind === 'quote') {
      const region: Line[] = [];
      while (i < lines.length && lines[i]!.kind === 'quote') region.push(lines[i++]!);
      out.push({ kind: 'quote', fragments: fragmentsOf(region), lineCount: region.length });
      continue;
    }
    const kind = l.kind;
    const group: string[] = [];
    while (i < lines.length && lines[i]!.kind === kind) group.push(lines[i++]!.text);
    out.push({ kind, lines: group });
  }
  // A quote directly followed by own text is what that text answers (interleaved replies).
  for (let k = 0; k + 1 < out.length; k++) {
    const b = out[k]!;
    if (b.kind !== 'quote' || out[k + 1]!.kind !== 'para') continue;
    const last = [...b.fragments].reverse().find((f) => !f.attribution && !isSnipText(f.text));
    if (last) last.answered = true;
  }
  return out;
}

function isSnipText(t: string): boolean {
  return /^(\[(\.\.\.|…)\]|<snip>|\[snip[^\]]*\]|<snip[^>]*>)$/i.test(t.trim());
}

const ATTRIBUTION_IN_QUOTE = /(wrote|writes)\s*:\s*$|^\s*On .{3,200}(wrote|writes)?\s*$/i;

/** Split a quoted region into fragments: runs of one depth, broken at empty quoted lines. */
function fragmentsOf(region: Line[]): Fragment[] {
  const out: Fragment[] = [];
  let cur: Fragment | null = null;
  for (const l of region) {
    const inner = stripQuote(l.text);
    if (inner.trim() === '') {
      cur = null;
      continue;
    }
    const isAttr = /(wrote|writes)\s*:\s*$/i.test(inner.trim());
    if (!cur || cur.depth !== l.depth || isAttr || cur.attribution) {
      cur = { depth: l.depth, lines: [], text: '', attribution: isAttr, answered: false };
      out.push(cur);
    }
    cur.lines.push(l.text);
    cur.text = cur.text ? cur.text + ' ' + normalizeSpace(inner) : normalizeSpace(inner);
  }
  // A lone `On Tue …` line directly before an attribution fragment belongs to it.
  for (let k = 0; k + 1 < out.length; k++) {
    const f = out[k]!;
    if (
      !f.attribution &&
      f.lines.length === 1 &&
      ATTRIBUTION_IN_QUOTE.test(f.text) &&
      out[k + 1]!.attribution
    ) {
      f.attribution = true;
    }
  }
  return out;
}

/** A message as parsed for display: blocks plus its own paragraphs (normalised) for matching. */
export interface ParsedBody {
  blocks: Block[];
  /** Own-text paragraphs, whitespace-normalised, index n-1 for paragraph n. */
  paragraphs: string[];
}

export function parseBody(body: string): ParsedBody {
  const lines = classify(body);
  const blocks = toBlocks(lines);
  const paragraphs: string[] = [];
  for (const b of blocks) if (b.kind === 'para') paragraphs[b.n - 1] = normalizeSpace(b.lines.join('\n'));
  return { blocks, paragraphs };
}

/** Shortest fragment (characters) we try to place; shorter ones ("Yes.") are too ambiguous. */
const MIN_MATCH = 12;
/** How far up the reply chain a quote's source is searched. */
const MAX_ANCESTORS = 64;

/** Find which own paragraph of which ancestor a fragment quotes. */
export function findSource(
  frag: Fragment,
  ancestors: { messageId: string; paragraphs: string[] }[],
): { messageId: string; para: number } | undefined {
  if (frag.attribution || frag.text.length < MIN_MATCH) return undefined;
  const probe = frag.text.length > 160 ? frag.text.slice(0, 160) : frag.text;
  // Depth d was most likely written by the d-th ancestor: search from there up, then nearer ones.
  const start = Math.min(frag.depth, ancestors.length) - 1;
  const order: number[] = [];
  for (let k = Math.max(start, 0); k < Math.min(ancestors.length, MAX_ANCESTORS); k++) order.push(k);
  for (let k = Math.max(start, 0) - 1; k >= 0; k--) order.push(k);
  for (const k of order) {
    const a = ancestors[k]!;
    for (let p = 0; p < a.paragraphs.length; p++) {
      const para = a.paragraphs[p];
      if (!para) continue;
      if (para.includes(probe) || (para.length >= 40 && probe.includes(para))) {
        return { messageId: a.messageId, para: p + 1 };
      }
    }
  }
  return undefined;
}

/** How a body links out: built by the page (thread or message page) that renders it. */
export interface BodyLinks {
  /** Link to paragraph `para` of message `messageId` (a quote's source). */
  source(messageId: string, para: number): string;
  /** Display name of a message's author, for "said by" labels. */
  author(messageId: string): string;
  /** Anchor prefix of this message (paragraph ids are `${prefix}-p${n}`). */
  anchor: string;
  /** Replies quoting paragraph n of this message: [link, label]. */
  quotedBy(n: number): [string, string][];
  /** The argument graph's stance of paragraph n (and, for an objection, how it ended). */
  claim?(
    n: number,
  ): { stance: string; reason: string; status: string | null; unsureOf?: string | null } | undefined;
}

const STANCE_LABEL: Record<string, string> = {
  proposes: 'proposes',
  'proposes-alternative': 'alternative',
  'objects-to': 'objects',
  supports: 'supports',
  asks: 'asks',
  answers: 'answers',
  concedes: 'concedes',
  acks: 'acks',
  nacks: 'nacks',
};

function srcLabel(links: BodyLinks, s: { messageId: string; para: number }): string {
  return s.para > 0 ? `${links.author(s.messageId)} ¶${s.para}` : `${links.author(s.messageId)} (patch)`;
}

function firstLine(f: Fragment): string {
  const t = f.text;
  return t.length > 160 ? t.slice(0, 157) + '…' : t;
}

/** The fragment that stands for a folded quote: placed at a source if possible, never a snip. */
function representative(frags: Fragment[]): Fragment | undefined {
  const real = frags.filter((f) => !f.attribution && !isSnipText(f.text));
  const long = real.filter((f) => f.text.length >= 40);
  return (
    long.find((f) => f.answered && f.source) ??
    long.find((f) => f.source) ??
    long[0] ??
    real.find((f) => f.source) ??
    real[0] ??
    frags[0]
  );
}

/**
 * Whether a paragraph is running prose that may be reflowed to the reader's width: every line but
 * the last is long (so the breaks are the sender's wrapping, not structure), nothing is indented,
 * underlined, tabulated or listed.
 */
export function isProse(lines: string[]): boolean {
  if (lines.length < 2) return !/^\s|\t| {3}/.test(lines[0] ?? '');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^\s|\t| {3}/.test(l)) return false;
    if (/^[-=~_*#+]{3,}\s*$/.test(l)) return false;
    if (i > 0 && /^([-*+•]|\d+[.)]|[a-z][.)])\s/.test(l)) return false;
    if (i < lines.length - 1 && l.length < 50) return false;
  }
  return true;
}

/** Render parsed blocks as HTML. */
export function renderBlocks(blocks: Block[], links: BodyLinks): SafeHtml {
  return html`${blocks.map((b) => {
    switch (b.kind) {
      case 'para': {
        const qb = links.quotedBy(b.n);
        const claim = links.claim?.(b.n);
        return html`<p class="own" id="${links.anchor}-p${b.n}"
          ><a class="pn" href="#${links.anchor}-p${b.n}" title="paragraph ${b.n}">¶${b.n}</a>${
            claim
              ? claim.unsureOf
                ? html`<span class="stance s-${claim.stance} unsure" title="unsure (the model's two best readings); ${claim.reason}">unsure: ${STANCE_LABEL[claim.stance] ?? claim.stance} or ${STANCE_LABEL[claim.unsureOf] ?? claim.unsureOf}?${claim.status ? html` · ${claim.status}` : ''}</span>`
                : html`<span class="stance s-${claim.stance}" title="${claim.reason}">${STANCE_LABEL[claim.stance] ?? claim.stance}${claim.status ? html` · ${claim.status}` : ''}</span>`
              : ''
          }${
            qb.length
              ? html`<span class="replies"
                  ><a href="${qb[0]![0]}" title="${qb.map((q) => q[1]).join('; ')}"
                    >${qb.length} ${qb.length === 1 ? 'reply' : 'replies'}</a
                  ></span
                >`
              : ''
          }${isProse(b.lines) ? html`<span class="t prose">${b.lines.join(' ')}</span>` : html`<span class="t">${b.lines.join('\n')}</span>`}</p
        >`;
      }
      case 'quote':
        return renderQuote(b.fragments, b.lineCount, links);
      case 'patch':
        return renderPatch(b.lines, links.anchor);
      case 'signature':
        return html`<pre class="sig">${b.lines.join('\n')}</pre>`;
      default:
        return html`<pre class="${b.kind}">${b.lines.join('\n')}</pre>`;
    }
  })}`;
}

function renderQuote(frags: Fragment[], lineCount: number, links: BodyLinks): SafeHtml {
  const shown = representative(frags);
  if (!shown) return html``;
  const src = shown.source;
  return html`<details class="quote"
    ><summary
      ><span class="qmark">›</span><span class="qfirst">${firstLine(shown)}</span
      ><span class="qmeta"
        >${lineCount} ${lineCount === 1 ? 'line' : 'lines'}${
          src
            ? html` · <a class="qsrc" href="${links.source(src.messageId, src.para)}"
                >${srcLabel(links, src)}</a
              >`
            : ''
        }</span
      ></summary
    >${frags.map(
      (f) =>
        html`<div class="frag q${Math.min(f.depth, 6)}${f.attribution ? ' attr' : ''}">
          <pre>${f.lines.join('\n')}</pre>
          ${
            f.source
              ? html`<a class="qsrc" href="${links.source(f.source.messageId, f.source.para)}"
                >first said by ${srcLabel(links, f.source)}</a
              >`
              : ''
          }
        </div>`,
    )}</details
  >`;
}
