/**
 * A thread prepared for display: the reply tree in reading order (depth-first, by date), every
 * body parsed, every quoted fragment placed at its source paragraph, and for every paragraph the
 * replies that quote it. Built once per thread and shared by the thread page, the message pages
 * and the search documents. Iterative throughout: thread depth comes from untrusted headers.
 */
import { isUnsure } from '../graph/stance-summary.ts';
import type { MessageRow, SiteData } from '../store/site-data.ts';
import { threadParagraphStances, threadQuoteSpans } from '../graph/query.ts';
import { findSource, parseBody, type Fragment, type ParsedBody } from './body.ts';
import { normalizeSpace, stripQuote } from '../mail/owntext.ts';

export interface ThreadMessage {
  row: MessageRow;
  depth: number;
  parsed: ParsedBody;
  children: number[];
  /** Row ids of the ancestors, nearest first. */
  ancestors: number[];
}

export interface ThreadView {
  rootMessageId: string;
  /** Messages in reading order. */
  order: ThreadMessage[];
  byId: Map<number, ThreadMessage>;
  byMessageId: Map<string, ThreadMessage>;
  /** `${messageId}\u0000${para}` → the messages (row ids) whose quotes come from that paragraph. */
  quotedBy: Map<string, number[]>;
  participants: { authorId: number | null; name: string; count: number }[];
  /** Stance of own paragraphs from the argument graph (`${messageId}\u0000${para}`). */
  claims: Map<string, ClaimInfo>;
}

/** What the argument graph says about one own-text paragraph. */
export interface ClaimInfo {
  stance: string;
  reason: string;
  /** For objections: how it ended. */
  status: string | null;
  /** The runner-up stance when the stance is unsure (probability below UNSURE_BELOW), else null. */
  unsureOf: string | null;
}

/** A quote segment of the argument graph, with the paragraph (or message) it was traced to. */
export interface GraphQuote {
  text: string;
  source: { messageId: string; para: number } | null;
}

/** Graph data for one thread (src/graph, migration 2). */
export interface GraphThread {
  /** Quote segments per message (row id), in body order. */
  quotes: Map<number, GraphQuote[]>;
  claims: Map<string, ClaimInfo>;
}

/** Deepest nesting the tree keeps; deeper replies are shown at this depth (hostile headers). */
export const MAX_DEPTH = 200;

export function paraKey(messageId: string, para: number): string {
  return `${messageId}\u0000${para}`;
}

/**
 * Place a message's quoted fragments with the graph's quote segments: the graph segments quotes
 * the same way (runs of one depth), so each fragment is matched, in order, to the segment whose
 * text holds it. The graph's source is then the fragment's source, so the site and `argmap
 * thread` agree on where every quote came from.
 */
function placeWithGraph(
  frags: Fragment[],
  segs: GraphQuote[],
  paragraphsOf: (messageId: string) => string[] | undefined,
): void {
  let k = 0;
  for (const f of frags) {
    if (f.attribution) continue;
    for (let j = k; j < segs.length; j++) {
      const t = segs[j]!.text;
      if (t === f.text || t.includes(f.text) || (t.length >= 12 && f.text.includes(t))) {
        const src = segs[j]!.source;
        if (src) f.source = renumber(f, src, paragraphsOf(src.messageId));
        k = j;
        break;
      }
    }
  }
}

/**
 * The graph names the source message; the paragraph number must be the site's (the decision
 * records' numbering, docs/decisions.md §3.2), which the graph's segmenter does not always share
 * (it counts `[snip …]` lines as own text). Find the fragment's text in the source's paragraphs;
 * if it is not there, link the message rather than a wrong paragraph.
 */
function renumber(
  f: Fragment,
  src: { messageId: string; para: number },
  paras: string[] | undefined,
): { messageId: string; para: number } {
  if (!paras) return src;
  const probe = f.text.length > 160 ? f.text.slice(0, 160) : f.text;
  const at = paras.findIndex((p) => p.includes(probe) || (p.length >= 40 && probe.includes(p)));
  if (at >= 0) return { messageId: src.messageId, para: at + 1 };
  return {
    messageId: src.messageId,
    para:
      src.para > 0 && src.para <= paras.length && paras[src.para - 1]!.includes(probe.slice(0, 40))
        ? src.para
        : 0,
  };
}

/** Build the view of one thread from its messages (any order), with graph data when present. */
export function buildThreadView(
  rootMessageId: string,
  rows: MessageRow[],
  graph: GraphThread | null = null,
): ThreadView {
  const byId = new Map<number, ThreadMessage>();
  for (const r of rows) {
    byId.set(r.id, {
      row: r,
      depth: 0,
      parsed: r.isGhost || !r.body ? { blocks: [], paragraphs: [] } : parseBody(r.body),
      children: [],
      ancestors: [],
    });
  }
  const roots: number[] = [];
  const sorted = [...rows].sort((a, b) =>
    (a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : a.id - b.id,
  );
  for (const r of sorted) {
    const p = r.parentId !== null ? byId.get(r.parentId) : undefined;
    if (p && r.parentId !== r.id) p.children.push(r.id);
    else roots.push(r.id);
  }
  // Depth-first reading order with an explicit stack; a visited set guards against cycles.
  const order: ThreadMessage[] = [];
  const seen = new Set<number>();
  const stack: { id: number; depth: number; ancestors: number[] }[] = [];
  for (let i = roots.length - 1; i >= 0; i--) stack.push({ id: roots[i]!, depth: 0, ancestors: [] });
  while (stack.length) {
    const { id, depth, ancestors } = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const m = byId.get(id)!;
    m.depth = Math.min(depth, MAX_DEPTH);
    m.ancestors = ancestors;
    order.push(m);
    const childAnc = [id, ...ancestors.slice(0, 63)];
    for (let i = m.children.length - 1; i >= 0; i--)
      stack.push({ id: m.children[i]!, depth: depth + 1, ancestors: childAnc });
  }
  // Messages unreachable because of a parent cycle still appear, at the top level.
  for (const r of sorted) if (!seen.has(r.id)) order.push(byId.get(r.id)!);

  const byMessageId = new Map<string, ThreadMessage>();
  for (const m of order) byMessageId.set(m.row.messageId, m);

  const quotedBy = new Map<string, number[]>();
  for (const m of order) {
    const anc = m.ancestors
      .map((a) => byId.get(a)!)
      .filter((a) => !a.row.isGhost)
      .map((a) => ({ messageId: a.row.messageId, paragraphs: a.parsed.paragraphs }));
    const segs = graph?.quotes.get(m.row.id);
    if (!anc.length && !segs) continue;
    for (const b of m.parsed.blocks) {
      if (b.kind !== 'quote') continue;
      if (segs) placeWithGraph(b.fragments, segs, (mid) => byMessageId.get(mid)?.parsed.paragraphs);
      for (const f of b.fragments) {
        const src = segs ? f.source : findSource(f, anc);
        if (!src) continue;
        f.source = src;
        if (!f.answered) continue;
        const k = paraKey(src.messageId, src.para);
        const list = quotedBy.get(k);
        if (!list) quotedBy.set(k, [m.row.id]);
        else if (!list.includes(m.row.id)) list.push(m.row.id);
      }
    }
  }

  const counts = new Map<string, { authorId: number | null; name: string; count: number }>();
  for (const m of order) {
    if (m.row.isGhost) continue;
    const key = m.row.authorId !== null ? `#${m.row.authorId}` : (m.row.fromAddr ?? m.row.fromName ?? '?');
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { authorId: m.row.authorId, name: displayName(m.row), count: 1 });
  }
  const participants = [...counts.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return {
    rootMessageId,
    order,
    byId,
    byMessageId,
    quotedBy,
    participants,
    claims: graph?.claims ?? new Map(),
  };
}

/** The graph's quote segments and non-neutral paragraph claims of one thread. */
export function loadGraphThread(data: SiteData, threadId: number): GraphThread {
  const quotes = new Map<number, GraphQuote[]>();
  for (const r of threadQuoteSpans(data.db, threadId)) {
    // joined by spaces, not newlines: the same text after normalising, and often already normal
    const text = normalizeSpace((r.text ?? '').split('\n').map(stripQuote).join(' '));
    // A quote traced to own text links to that paragraph; one traced to a patch, to the message.
    const source = r.smid
      ? { messageId: r.smid, para: r.skind === 'own' && r.spara !== null ? r.spara : 0 }
      : null;
    const l = quotes.get(r.m);
    if (l) l.push({ text, source });
    else quotes.set(r.m, [{ text, source }]);
  }
  const claims = new Map<string, ClaimInfo>();
  for (const c of threadParagraphStances(data.db, threadId))
    claims.set(paraKey(c.mid, c.n), {
      stance: c.stance,
      reason: c.reason,
      status: c.status,
      unsureOf: isUnsure(c.confidence, c.alt) ? c.alt : null,
    });
  return { quotes, claims };
}

/** Load and build one thread, with the argument graph's quote sources and stances. */
export function loadThread(data: SiteData, threadId: number, rootMessageId: string): ThreadView {
  return buildThreadView(rootMessageId, data.threadMessages(threadId), loadGraphThread(data, threadId));
}

/** The name to show for a message's author. */
export function displayName(m: Pick<MessageRow, 'fromName' | 'fromAddr' | 'isGhost'>): string {
  if (m.isGhost) return '(not in the archive)';
  return (m.fromName && m.fromName.trim()) || m.fromAddr || '(unknown sender)';
}
