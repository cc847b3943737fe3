/**
 * What a reply's body says about its parent, for messages without threading headers (archive
 * pages, mail whose headers were stripped): the attribution lines that introduce its quotes (at
 * depth 0, "On … X wrote:" names the parent; inside the first quote, the grandparent), and the
 * text it quotes at depth 1, which is the parent's own text. Pure; one pass over the lines.
 */
import { parseAttribution, isAttributionLine, type Attribution } from '../mail/attribution.ts';
import { classify, stripQuote } from '../mail/owntext.ts';
import { shingles, wordHashes } from '../mail/shingle.ts';

/** An attribution line found in a body, with the quote depth it stands at. */
export interface FoundAttribution {
  /** 0: the writer's own line (names the parent); 1: inside the first quote (the grandparent). */
  depth: number;
  /** The line as written (joined when wrapped). */
  line: string;
  parsed: Attribution;
}

/** The parent-naming evidence of one body. */
export interface ReplyEvidence {
  /** The first attribution line at depth 0 and the first at depth 1, when present. */
  attributions: FoundAttribution[];
  /** Everything quoted at depth 1, joined: the parent's own text as the reply kept it. */
  quoted: string;
}

/** Read a body's attribution lines and its depth-1 quoted text. */
export function replyEvidence(body: string): ReplyEvidence {
  const lines = classify(body);
  const attributions: FoundAttribution[] = [];
  const quoted: string[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    let depth = -1;
    let text = '';
    if (l.kind === 'attribution') {
      depth = 0;
      text = l.text.trim();
    } else if (l.kind === 'quote') {
      const inner = stripQuote(l.text).trim();
      if (l.depth === 1 && !isAttributionLine(inner)) quoted.push(inner);
      if (l.depth === 1 && (isAttributionLine(inner) || /^On\s/.test(inner))) {
        depth = 1;
        text = inner;
      }
    }
    if (depth < 0 || seen.has(depth)) continue;
    // A wrapped attribution: "On Thu, Mar 31, 2022 at 10:25 AM Roman Gushchin" / "<…> wrote:".
    let parsed = parseAttribution(text);
    let line = text;
    const next = lines[i + 1];
    if (!parsed && next && /^On\s/.test(text)) {
      const nextText = depth === 0 ? next.text.trim() : stripQuote(next.text).trim();
      line = `${text} ${nextText}`;
      parsed = parseAttribution(line);
    }
    if (!parsed) continue;
    seen.add(depth);
    attributions.push({ depth, line, parsed });
  }
  return { attributions, quoted: quoted.join('\n') };
}

/** The shingles of a reply's quoted text, to look up in candidates' own text. */
export function quoteShingles(quoted: string): Set<number> {
  return new Set(shingles(wordHashes(quoted)));
}

/**
 * The shingles of what a message itself carries — its own text and its patch, not its quotes or
 * signature: what a reply to it quotes at depth 1 (reviews quote the diff).
 */
export function ownShingles(body: string): Set<number> {
  const written = classify(body)
    .filter((l) => l.kind === 'own' || l.kind === 'patch' || l.kind === 'trailer')
    .map((l) => l.text)
    .join('\n');
  return new Set(shingles(wordHashes(written)));
}

/**
 * The share of a reply's quoted shingles that a candidate's own text contains: 1 when every
 * quoted phrase is the candidate's own, 0 when none is. Replies in one sub-thread quote the same
 * text, but only the message that wrote it has it as own text.
 */
export function containment(quote: Set<number>, own: Set<number>): number {
  if (!quote.size) return 0;
  let hit = 0;
  for (const s of quote) if (own.has(s)) hit++;
  return hit / quote.size;
}
