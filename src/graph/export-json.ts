/**
 * The argument graph of a scope (a thread, a series, or the whole archive) as plain data: claims,
 * edges, objection statuses and, for a series, its timeline. The AIF and Argdown exporters are
 * views of the same data, so all three agree on what a claim and an edge are.
 */
import type { Db } from '../store/db.ts';
import {
  claimKey,
  ClaimLinkReads,
  exportClaimRows,
  findSeries,
  seriesThreadIds,
  seriesView,
  threadIdOf,
  threadSubject,
  type ExportClaimRow,
  type SeriesView,
} from './query.ts';
import { UserError } from '../util/errors.ts';

/** One claim in an export. */
/** One exported claim: the row without its database id, with its key and topics. */
export interface ExportClaim extends Omit<ExportClaimRow, 'id'> {
  key: string;
  topics: string[];
}

export interface ExportEdge {
  from: string;
  to: string;
  relation: string;
  evidence: string | null;
}

export interface GraphExport {
  format: 'argmap-graph';
  version: 1;
  scope: { kind: 'thread' | 'series' | 'archive'; id: string; title: string | null };
  claims: ExportClaim[];
  edges: ExportEdge[];
  series: SeriesView | null;
}

/** Which claims to export: `--thread ID`, `--series ID`, or everything. */
export interface ExportScope {
  thread?: string;
  series?: string;
  /** Leave out neutral claims that nothing replies to (greetings, sign-offs). Default true. */
  dropIdleNeutral?: boolean;
}

/** Collect the claims and edges of a scope. */
export function collectGraph(db: Db, scope: ExportScope): GraphExport {
  let threads: number[] | null = null;
  let kind: GraphExport['scope']['kind'] = 'archive';
  let id = 'all';
  let title: string | null = null;
  let series: SeriesView | null = null;
  if (scope.thread) {
    const t = threadIdOf(db, scope.thread);
    threads = [t];
    kind = 'thread';
    id = String(t);
    title = threadSubject(db, t);
  } else if (scope.series) {
    const ids = findSeries(db, scope.series);
    if (!ids.length) throw new UserError(`no series matches ${JSON.stringify(scope.series)}`);
    const views = ids.map((x) => seriesView(db, x)!).sort((a, b) => b.postings.length - a.postings.length);
    series = views[0]!;
    kind = 'series';
    id = String(series.id);
    title = series.title;
    threads = seriesThreadIds(db, series.id);
  }
  const rows = exportClaimRows(db, threads);
  const keyOf = new Map<number, string>();
  for (const r of rows) keyOf.set(r.id, claimKey(r.messageId, r.kind, r.n));
  const topics = new Map<number, string[]>();
  const edges: ExportEdge[] = [];
  const touched = new Set<number>();
  const links = new ClaimLinkReads(db);
  for (const r of rows) {
    topics.set(r.id, links.topics(r.id));
    for (const e of links.edgesFrom(r.id)) {
      const to = keyOf.get(e.dst);
      if (!to) continue; // the other end is outside the scope
      edges.push({ from: keyOf.get(r.id)!, to, relation: e.relation, evidence: e.evidence });
      touched.add(r.id);
      touched.add(e.dst);
    }
  }
  const drop = scope.dropIdleNeutral !== false;
  const claims: ExportClaim[] = rows
    .filter((r) => !drop || r.stance !== 'neutral' || touched.has(r.id))
    .map(({ id: cid, ...r }) => ({ ...r, key: keyOf.get(cid)!, topics: topics.get(cid) ?? [] }));
  const kept = new Set(claims.map((c) => c.key));
  return {
    format: 'argmap-graph',
    version: 1,
    scope: { kind, id, title },
    claims,
    edges: edges.filter((e) => kept.has(e.from) && kept.has(e.to)),
    series,
  };
}
