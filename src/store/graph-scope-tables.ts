/**
 * The part of the archive an incremental graph build redoes its archive-wide passes over
 * (src/graph/scope.ts decides it): the threads that received mail, the series whose rows
 * changed, and, closed under "shares a thread", every thread and series those reach. The scope is
 * kept in two TEMP tables so the passes' statements can join it; they live only on this
 * connection and only for the build.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** Reads that close the scope over threads and series, and the TEMP tables that hold it. */
export class GraphScopeTables {
  private s: {
    seriesOfThreads: Database.Statement<[string], number>;
    threadsOfSeries: Database.Statement<[string], number>;
    threadsOfMessages: Database.Statement<[string], number>;
    threadsOfClaims: Database.Statement<[string], number>;
    threadsOfRecordObjections: Database.Statement<[], number>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      seriesOfThreads: db
        .prepare<[string], number>(
          `SELECT DISTINCT p.series_id FROM patches p JOIN messages m ON m.id = p.message_id
           WHERE m.thread_id IN (SELECT value FROM json_each(?))`,
        )
        .pluck(),
      threadsOfSeries: db
        .prepare<[string], number>(
          `SELECT DISTINCT m.thread_id FROM patches p JOIN messages m ON m.id = p.message_id
           WHERE p.series_id IN (SELECT value FROM json_each(?)) AND m.thread_id IS NOT NULL`,
        )
        .pluck(),
      threadsOfMessages: db
        .prepare<[string], number>(
          `SELECT DISTINCT thread_id FROM messages
           WHERE id IN (SELECT value FROM json_each(?)) AND thread_id IS NOT NULL`,
        )
        .pluck(),
      threadsOfClaims: db
        .prepare<[string], number>(
          `SELECT DISTINCT m.thread_id FROM claim_rows c JOIN messages m ON m.id = c.message_id
           WHERE c.id IN (SELECT value FROM json_each(?)) AND m.thread_id IS NOT NULL`,
        )
        .pluck(),
      threadsOfRecordObjections: db
        .prepare<[], number>(
          `SELECT DISTINCT m.thread_id FROM objections o JOIN claim_rows c ON c.id = o.claim_id
           JOIN messages m ON m.id = c.message_id WHERE o.source = 'record' AND m.thread_id IS NOT NULL`,
        )
        .pluck(),
    };
  }

  /** The threads the claims are in. */
  threadsOfClaims(claims: Iterable<number>): number[] {
    return this.s.threadsOfClaims.all(JSON.stringify([...claims]));
  }

  /** The threads of the objections whose status a decision record decided. */
  threadsOfRecordObjections(): number[] {
    return this.s.threadsOfRecordObjections.all();
  }

  /** The series with a patch mail in one of the threads. */
  seriesOfThreads(threads: Iterable<number>): number[] {
    return this.s.seriesOfThreads.all(JSON.stringify([...threads]));
  }

  /** The threads that hold a patch mail of one of the series. */
  threadsOfSeries(series: Iterable<number>): number[] {
    return this.s.threadsOfSeries.all(JSON.stringify([...series]));
  }

  /** The threads the messages are in. */
  threadsOfMessages(messages: Iterable<number>): number[] {
    return this.s.threadsOfMessages.all(JSON.stringify([...messages]));
  }

  /**
   * Store the scope in `temp.graph_scope_msgs` (every message of the threads) and
   * `temp.graph_scope_series`, replacing an earlier one.
   */
  store(threads: Iterable<number>, series: Iterable<number>): void {
    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS graph_scope_msgs (id INTEGER PRIMARY KEY);
      CREATE TEMP TABLE IF NOT EXISTS graph_scope_series (id INTEGER PRIMARY KEY);
      DELETE FROM temp.graph_scope_msgs; DELETE FROM temp.graph_scope_series;`);
    this.db
      .prepare(
        `INSERT INTO temp.graph_scope_msgs SELECT id FROM messages
         WHERE thread_id IN (SELECT value FROM json_each(?))`,
      )
      .run(JSON.stringify([...threads]));
    this.db
      .prepare('INSERT INTO temp.graph_scope_series SELECT value FROM json_each(?)')
      .run(JSON.stringify([...series]));
  }

  /** Delete the version edges (supersedes, implements, carried trailers) drawn from the scope's claims. */
  deleteVersionEdges(): void {
    this.db
      .prepare(
        `DELETE FROM edges WHERE (relation IN ('supersedes', 'implements') OR evidence LIKE 'carried%')
         AND src_claim_id IN (SELECT c.id FROM claim_rows c WHERE ${inScopeSql('c')})`,
      )
      .run();
  }

  /** How many objections end each way, over the whole archive. */
  objectionCounts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.db
      .prepare<[], { status: string; n: number }>(
        'SELECT status, COUNT(*) AS n FROM objections GROUP BY status',
      )
      .all())
      out[r.status] = r.n;
    return out;
  }
}

/** SQL that keeps a claim (alias `alias`) to the stored scope's messages. */
export function inScopeSql(alias: string): string {
  return `${alias}.message_id IN (SELECT id FROM temp.graph_scope_msgs)`;
}
