/** What the archive holds, counted: `argmap stats`, `argmap start`'s summary and `argmap problems`. */
import type { Db } from './db.ts';
import { createHash } from 'node:crypto';

export interface ArchiveStats {
  messages: number;
  ghosts: number;
  threads: number;
  people: number;
  commits: number;
  documents: number;
  problems: { skipped: number; warnings: number };
  firstDate: string | null;
  lastDate: string | null;
  sources: { kind: string; location: string; status: string; messages: number }[];
  largestThreads: { id: number; subject: string; messages: number }[];
}

/** Counts, date span, sources and the largest threads of an archive. */
export function archiveStats(db: Db): ArchiveStats {
  const one = (sql: string): number => (db.prepare(sql).get() as { c: number }).c;
  const span = db.prepare('SELECT MIN(date) AS a, MAX(date) AS b FROM messages WHERE is_ghost = 0').get() as {
    a: string | null;
    b: string | null;
  };
  return {
    messages: one('SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 0'),
    ghosts: one('SELECT COUNT(*) AS c FROM messages WHERE is_ghost = 1'),
    threads: one('SELECT COUNT(*) AS c FROM threads'),
    people: one('SELECT COUNT(*) AS c FROM people'),
    commits: one('SELECT COUNT(*) AS c FROM commits'),
    documents: one('SELECT COUNT(*) AS c FROM documents'),
    problems: {
      skipped: one("SELECT COUNT(*) AS c FROM ingest_problems WHERE severity = 'skipped'"),
      warnings: one("SELECT COUNT(*) AS c FROM ingest_problems WHERE severity = 'warning'"),
    },
    firstDate: span.a,
    lastDate: span.b,
    sources: db
      .prepare('SELECT kind, location, status, message_count AS messages FROM sources ORDER BY id')
      .all() as ArchiveStats['sources'],
    largestThreads: db
      .prepare(
        'SELECT id, subject, message_count AS messages FROM threads ORDER BY message_count DESC, id LIMIT 5',
      )
      .all() as ArchiveStats['largestThreads'],
  };
}

/** One recorded ingest problem, with where it came from. */
export interface ProblemRow {
  severity: string;
  code: string;
  detail: string;
  source: string | null;
  offset: number | null;
  message_id: string | null;
}

/** Recorded ingest problems, newest first; only skipped ones, or only one code, when asked. */
export function ingestProblems(db: Db, f: { skippedOnly?: boolean; code?: string } = {}): ProblemRow[] {
  const where: string[] = [];
  const params: string[] = [];
  if (f.skippedOnly) where.push("p.severity = 'skipped'");
  if (f.code) {
    where.push('p.code = ?');
    params.push(f.code);
  }
  return db
    .prepare(
      `SELECT p.severity, p.code, p.detail, s.location AS source, p.offset, m.message_id
       FROM ingest_problems p LEFT JOIN sources s ON s.id = p.source_id LEFT JOIN messages m ON m.id = p.message_id
       ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY p.id DESC`,
    )
    .all(...params) as ProblemRow[];
}

/**
 * A fingerprint of the archive's state: changes with any ingest, graph rebuild or search reindex
 * (the meta rows carry the versions, the row counters the contents). The server's ETag.
 */
export function archiveFingerprint(db: Db): string {
  const h = createHash('sha1');
  h.update(JSON.stringify(db.prepare('SELECT key, value FROM meta ORDER BY key').all()));
  for (const t of ['messages', 'claim_rows', 'objections', 'search_fts', 'threads'])
    h.update(JSON.stringify(db.prepare(`SELECT COUNT(*) AS n, MAX(rowid) AS m FROM ${t}`).get()));
  return h.digest('hex');
}

/** SQLite's data_version: it changes when another connection commits to the file. */
export function dataVersion(db: Db): number {
  return db.pragma('data_version', { simple: true }) as number;
}
