/**
 * The argument map of a thread, from the argument graph: what was proposed → the objections to it
 * → the replies to each objection → how each objection ended (the graph's `objections.status`).
 * Big threads are cut to the objections with the most replies.
 */
import { objectionReader, threadObjections, type MapClaimRow } from '../../graph/query.ts';
import { isUnsure, STANCE_CAVEAT } from '../../graph/stance-summary.ts';
import { OBJECTION_STANCES } from '../../graph/stance.ts';
import { renderMap, type MapEdge, type MapNode } from '../argmap.ts';
import type { SiteContext } from '../context.ts';
import type { ThreadRow } from '../../store/site-data.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import type { Page } from '../page.ts';
import { href, paragraphAnchor, urls } from '../urls.ts';

/** Most objections a thread map shows (those with the most replies). */
export const MAX_OBJECTIONS = 25;
/** Most replies shown per objection. */
export const MAX_REPLIES = 3;

/** Relations that count as a reply to an objection. */
const REPLY_RELATIONS = [
  'answers',
  'concedes',
  'supports',
  'objects-to',
  'responds-to',
  'acks',
  'nacks',
  'asks',
  'proposes-alternative',
];

/** The colour class of a status: a record's `addressed in v2` is `addressed`, `accepted` its own. */
function statusClass(status: string): string {
  return status.startsWith('addressed') ? 'addressed' : status.replace(/[^a-z]+/g, '-');
}

function short(s: string, n = 70): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > n ? t.slice(0, n - 1) + '…' : t;
}

/** Whether the thread has an argument map (`threadMap` is not null), without drawing it. */
export function hasThreadMap(ctx: SiteContext, t: ThreadRow): boolean {
  return threadObjections(ctx.data.db, t.id).length > 0;
}

/** Nodes and edges of a thread's map, or null when the thread has no objection in the graph. */
export function threadMap(
  ctx: SiteContext,
  t: ThreadRow,
  from: string,
): { nodes: MapNode[]; edges: MapEdge[]; objections: number } | null {
  const objections = threadObjections(ctx.data.db, t.id);
  if (!objections.length) return null;
  const read = objectionReader(ctx.data.db, REPLY_RELATIONS);
  const withReplies = objections.map((o) => ({ o, replies: read.replies(o.id) }));
  withReplies.sort((a, b) => b.replies.length - a.replies.length || a.o.id - b.o.id);
  const shown = withReplies.slice(0, MAX_OBJECTIONS).sort((a, b) => a.o.id - b.o.id);
  const link = (c: MapClaimRow): string =>
    href(from, `${urls.thread(t.rootMessageId)}#${paragraphAnchor(c.mid, c.n)}`);
  const nodes = new Map<string, MapNode>();
  const edges: MapEdge[] = [];
  // A claim is drawn once, as what it is: an objection (objects-to, nacks or an alternative, all
  // of which have a status) stays an objection even where it is also what another objection
  // objects to, or a reply to one. The kind used to be that of the first role a claim was met in,
  // so an alternative objected to, or an objection answering an earlier one, was drawn as a
  // proposal or a response.
  const claimNode = (c: MapClaimRow, role: MapNode['kind']): string => {
    const id = `c${c.id}`;
    const isObjection = (OBJECTION_STANCES as readonly string[]).includes(c.stance);
    const kind = isObjection ? 'objection' : role;
    const status = isObjection ? (c.status ?? 'open') : undefined;
    if (!nodes.has(id))
      nodes.set(id, {
        id,
        kind,
        title: `${c.author ?? '?'}: ${short(c.text)}`,
        sub: `¶${c.n}${status ? ` · ${status}` : ''}${isUnsure(c.confidence, c.alt) ? ` · unsure: ${c.stance} or ${c.alt}?` : ''}`,
        status: status ? statusClass(status) : undefined,
        href: link(c),
      });
    return id;
  };
  for (const { o, replies } of shown) {
    const oid = claimNode(o, 'objection');
    for (const p of read.proposals(o.id)) edges.push({ from: claimNode(p, 'proposal'), to: oid });
    for (const r of replies.slice(0, MAX_REPLIES)) {
      if (r.id === o.id) continue;
      const rid = claimNode(r, 'response');
      edges.push({ from: oid, to: rid, label: read.relation(r.id, o.id) ?? '' });
    }
  }
  // every objection drawn, also one met as what another objects to or as a reply, ends in its outcome
  for (const n of [...nodes.values()]) {
    if (n.kind !== 'objection') continue;
    const st = n.status ?? 'open';
    const sid = `status-${st}`;
    if (!nodes.has(sid)) nodes.set(sid, { id: sid, kind: 'outcome', title: st, status: st });
    edges.push({ from: n.id, to: sid, minlen: 2 });
  }
  return { nodes: [...nodes.values()], edges, objections: objections.length };
}

/** The thread map page and its JSON twin, or nothing. */
export function threadMapPages(ctx: SiteContext, t: ThreadRow): Page[] {
  const path = urls.threadMap(t.rootMessageId);
  const m = threadMap(ctx, t, path);
  if (!m) return [];
  const subject = t.subject || '(no subject)';
  const main = html`<h1>Argument map: ${subject}</h1>
<p class="meta">From the argument graph: proposals → objections → the replies to each → how each objection ended.
${m.objections > MAX_OBJECTIONS ? `The ${MAX_OBJECTIONS} of ${m.objections} objections with the most replies are shown. ` : ''}Each box links to the paragraph in <a href="${href(path, urls.thread(t.rootMessageId))}">the thread</a>.</p>
<p class="muted note">${STANCE_CAVEAT}</p>
${renderMap(m.nodes, m.edges, `Argument map of the thread ${subject}`)}`;
  return [
    {
      path,
      content: layout(
        {
          path,
          title: `Argument map: ${subject}`,
          json: true,
          bodyClass: 'map-page',
          crumbs: [
            ['Threads', urls.threads()],
            [subject, urls.thread(t.rootMessageId)],
            ['map', null],
          ],
        },
        main,
      ),
    },
    {
      path: urls.json(path),
      content: JSON.stringify(
        {
          kind: 'thread-argument-map',
          thread: urls.thread(t.rootMessageId),
          objections: m.objections,
          nodes: m.nodes,
          edges: m.edges,
        },
        null,
        1,
      ),
    },
  ];
}
