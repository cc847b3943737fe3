/**
 * Multi-row INSERT in batches: one prepared `INSERT … VALUES (…),(…),…` statement for a full
 * batch and one for the remainder. The graph writes about a million rows for the whole archive;
 * binding 64 rows per call cuts the per-statement overhead by about a fifth.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** Rows per statement (SQLite's default limit is 32,766 bound parameters; 64 × 13 stays far below). */
const BATCH_ROWS = 64;

export class BatchInsert {
  private buf: unknown[] = [];
  private full: Database.Statement;
  /** Rows inserted (or, with OR IGNORE, actually added). */
  changes = 0;

  constructor(
    private db: Db,
    private head: string,
    private cols: number,
  ) {
    this.full = db.prepare(this.sql(BATCH_ROWS));
  }

  private sql(rows: number): string {
    const one = `(${new Array(this.cols).fill('?').join(',')})`;
    return `${this.head} VALUES ${new Array(rows).fill(one).join(',')}`;
  }

  /** Queue one row (exactly `cols` values). */
  add(...values: unknown[]): void {
    for (const v of values) this.buf.push(v);
    if (this.buf.length >= BATCH_ROWS * this.cols) {
      this.changes += this.full.run(this.buf).changes;
      this.buf.length = 0;
    }
  }

  /** Write what is queued. */
  flush(): void {
    if (!this.buf.length) return;
    this.changes += this.db.prepare(this.sql(this.buf.length / this.cols)).run(this.buf).changes;
    this.buf.length = 0;
  }
}
