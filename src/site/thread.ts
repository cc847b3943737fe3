/**
 * A thread prepared for display: the reply tree in reading order (depth-first, by date), every
 * body parsed, every quoted fragment placed at its source paragraph, and for every paragraph the
 * replies that quote it. Built once per thread and shared by the thread page, the message pages
 * and the search documents. Iterative throughout: thread depth comes from untrusted headers.
 */
import type { MessageRow, SiteData } from './data.ts';
import { findSource, parseBody, type ParsedBody } from './body.ts';

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
}

/** Deepest nesting the tree keeps; deeper replies are shown at this depth (hostile headers). */
export const MAX_DEPTH = 200;

export function paraKey(messageId: string, para: number): string {
  return `${messageId}\u0000${para}`;
}

/** Build the view of one thread from its messages (any order). */
export function buildThreadView(rootMessageId: string, rows: MessageRow[]): ThreadView {
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
  const sorted = [...rows].sort((a, b) => ((a.date ?? '') < (b.date ?? '') ? -1 : (a.date ?? '') > (b.date ?? '') ? 1 : a.id - b.id));
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
    for (let i = m.children.length - 1; i >= 0; i--) stack.push({ id: m.children[i]!, depth: depth + 1, ancestors: childAnc });
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
    if (!anc.length) continue;
    for (const b of m.parsed.blocks) {
      if (b.kind !== 'quote') continue;
      for (const f of b.fragments) {
        const src = findSource(f, anc);
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
  return { rootMessageId, order, byId, byMessageId, quotedBy, participants };
}

/** Load and build one thread. */
export function loadThread(data: SiteData, threadId: number, rootMessageId: string): ThreadView {
  return buildThreadView(rootMessageId, data.threadMessages(threadId));
}

/** The name to show for a message's author. */
export function displayName(m: Pick<MessageRow, 'fromName' | 'fromAddr' | 'isGhost'>): string {
  if (m.isGhost) return '(not in the archive)';
  return (m.fromName && m.fromName.trim()) || m.fromAddr || '(unknown sender)';
}
