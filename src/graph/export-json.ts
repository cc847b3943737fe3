/**
 * The argument graph of a scope (a thread, a series, or the whole archive) as plain data: claims,
 * edges, objection statuses and, for a series, its timeline. The AIF and Argdown exporters are
 * views of the same data, so all three agree on what a claim and an edge are.
 */
import type { Db } from '../store/db.ts';
import { claimKey, findSeries, seriesView, threadIdOf, type SeriesView } from './query.ts';
import { UserError } from '../util/errors.ts';

/** One claim in an export. */
export interface ExportClaim {
  key: string;
  messageId: string;
  kind: 'para' | 'trailer';
  n: number;
  author: string | null;
  authorId: number | null;
  date: string | null;
  subject: string | null;
  stance: string;
  ruleStance: string;
  stanceReason: string;
  confidence: number;
  text: string;
  topics: string[];
  status: string | null;
  statusEvidence: string | null;
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
    title = (db.prepare('SELECT subject FROM threads WHERE id = ?').pluck().get(t) as string | null) ?? null;
  } else if (scope.series) {
    const ids = findSeries(db, scope.series);
    if (!ids.length) throw new UserError(`no series matches ${JSON.stringify(scope.series)}`);
    const views = ids.map((x) => seriesView(db, x)!).sort((a, b) => b.postings.length - a.postings.length);
    series = views[0]!;
    kind = 'series';
    id = String(series.id);
    title = series.title;
    threads = db
      .prepare(
        'SELECT DISTINCT m.thread_id FROM patches p JOIN messages m ON m.id = p.message_id WHERE p.series_id = ? AND m.thread_id IS NOT NULL',
      )
      .pluck()
      .all(series.id) as number[];
  }
  const where = threads ? `WHERE m.thread_id IN (${threads.map(() => '?').join(',')})` : '';
  const params = threads ?? [];
  const rows = db
    .prepare(
      `SELECT c.id, m.message_id AS messageId, c.kind, c.n, pe.name AS author, c.author_id AS authorId, m.date, m.subject,
              c.stance, c.rule_stance AS ruleStance, c.stance_reason AS stanceReason, c.confidence,
              CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
              o.status, o.evidence AS statusEvidence
       FROM claim_rows c JOIN messages m ON m.id = c.message_id LEFT JOIN people pe ON pe.id = c.author_id
       LEFT JOIN objections o ON o.claim_id = c.id
       ${where} ORDER BY m.date, m.id, c.start`,
    )
    .all(...params) as (Omit<ExportClaim, 'key' | 'topics'> & { id: number })[];
  const keyOf = new Map<number, string>();
  for (const r of rows) keyOf.set(r.id, claimKey(r.messageId, r.kind, r.n));
  const topics = new Map<number, string[]>();
  const edges: ExportEdge[] = [];
  const touched = new Set<number>();
  const topicQ = db.prepare('SELECT topic FROM claim_topics WHERE claim_id = ? ORDER BY topic').pluck();
  const edgeQ = db.prepare(
    `SELECT e.dst_claim_id AS dst, e.relation, e.evidence FROM edges e WHERE e.src_claim_id = ?`,
  );
  for (const r of rows) {
    topics.set(r.id, topicQ.all(r.id) as string[]);
    for (const e of edgeQ.all(r.id) as { dst: number; relation: string; evidence: string | null }[]) {
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
