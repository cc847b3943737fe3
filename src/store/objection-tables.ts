/**
 * The statements of the objection-lifecycle pass (src/graph/lifecycle.ts): the objection claims,
 * the reply and `implements` edges it decides from, and the `objections` rows it writes. How an
 * objection ended is decided in src/graph/; this module only knows the tables.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import { inScopeSql } from './graph-scope-tables.ts';

/** A paragraph claim that objects. */
export interface ObjectionClaimRow {
  id: number;
  author: number | null;
  message: number;
}

/** A reply edge (any relation but supersedes/implements), with what the lifecycle needs of both ends. */
export interface ReplyEdgeRow {
  src: number;
  dst: number;
  /** The replying claim's author and stance, and its message's date and row id. */
  author: number | null;
  stance: string;
  date: string | null;
  message: number;
  /** The author of the claim replied to. */
  dst_author: number | null;
}

/** How one objection ended, as stored. */
export interface ObjectionRecord {
  claimId: number;
  status: string;
  evidenceClaimId: number | null;
  evidenceMessageId: number | null;
  evidence: string;
  /** `record` when a decision record decided the status (then its words and which objection). */
  source?: 'rules' | 'record';
  recordStatus?: string | null;
  record?: string | null;
}

/** Reads and writes of one lifecycle pass. */
export class ObjectionTables {
  private s: {
    replyEdges: Database.Statement<[], ReplyEdgeRow>;
    implementsEdges: Database.Statement<[], { s: number; d: number; evidence: string }>;
    messageOfClaim: Database.Statement<[number], number>;
    insert: Database.Statement<
      [number, string, number | null, number | null, string, string, string | null, string | null]
    >;
  };

  /**
   * @param scoped - read only the objections, replies and implements edges of the scope stored
   *   by GraphScopeTables (an incremental build); reply edges never leave their thread, so the
   *   scope's threads hold every reply an objection in them can have.
   */
  constructor(
    private readonly db: Db,
    private readonly scoped = false,
  ) {
    this.s = {
      // in claim order (src, dst, relation), as a full build numbers claims thread by thread
      replyEdges: db.prepare(
        `SELECT e.src_claim_id AS src, e.dst_claim_id AS dst, s.author_id AS author, s.stance, m.date, m.id AS message,
                d.author_id AS dst_author
         FROM edges e JOIN claim_rows s ON s.id = e.src_claim_id JOIN messages m ON m.id = s.message_id
         JOIN claim_rows d ON d.id = e.dst_claim_id
         WHERE e.relation NOT IN ('supersedes', 'implements')${scoped ? ` AND ${inScopeSql('s')}` : ''}
         ORDER BY e.src_claim_id, e.dst_claim_id, e.relation`,
      ),
      // by thread, then claim: the same order whether the threads were built in one go or not
      implementsEdges: db.prepare(
        `SELECT e.src_claim_id AS s, e.dst_claim_id AS d, e.evidence FROM edges e
         JOIN claim_rows c ON c.id = e.src_claim_id JOIN messages m ON m.id = c.message_id
         ${scoped ? `JOIN claim_rows dc ON dc.id = e.dst_claim_id AND ${inScopeSql('dc')}` : ''}
         WHERE e.relation = 'implements' ORDER BY m.thread_id, e.src_claim_id, e.dst_claim_id`,
      ),
      messageOfClaim: db.prepare<[number], number>('SELECT message_id FROM claim_rows WHERE id = ?').pluck(),
      insert: db.prepare(
        'INSERT INTO objections(claim_id, status, evidence_claim_id, evidence_message_id, evidence, source, record_status, record) VALUES (?,?,?,?,?,?,?,?)',
      ),
    };
  }

  /** Empty `objections` (a full pass rebuilds it whole; a scoped one deletes only its own rows). */
  clear(): void {
    if (this.scoped)
      this.db
        .prepare(
          `DELETE FROM objections WHERE claim_id IN (SELECT c.id FROM claim_rows c WHERE ${inScopeSql('c')})`,
        )
        .run();
    else this.db.exec('DELETE FROM objections');
  }

  /** The paragraph claims whose stance is one of `stances`. */
  objections(stances: readonly string[]): ObjectionClaimRow[] {
    if (!stances.length) return [];
    return this.db
      .prepare<string[], ObjectionClaimRow>(
        // scoped: `+c.stance`, so the scope's messages drive the read, not the archive's stance index
        `SELECT c.id, c.author_id AS author, c.message_id AS message FROM claim_rows c
         WHERE ${this.scoped ? '+' : ''}c.stance IN (${stances.map(() => '?').join(', ')}) AND c.kind = 'para'${
           this.scoped ? ` AND ${inScopeSql('c')}` : ''
         }`,
      )
      .all(...stances);
  }

  /** Every reply edge, in storage order. */
  replyEdges(): IterableIterator<ReplyEdgeRow> {
    return this.s.replyEdges.iterate();
  }

  /** Every `implements` edge (change-log item → review claim). */
  implementsEdges(): IterableIterator<{ s: number; d: number; evidence: string }> {
    return this.s.implementsEdges.iterate();
  }

  /** The message a claim is in. */
  messageOfClaim(claimId: number): number | null {
    return this.s.messageOfClaim.get(claimId) ?? null;
  }

  /** Store how one objection ended. */
  insert(r: ObjectionRecord): void {
    this.s.insert.run(
      r.claimId,
      r.status,
      r.evidenceClaimId,
      r.evidenceMessageId,
      r.evidence,
      r.source ?? 'rules',
      r.recordStatus ?? null,
      r.record ?? null,
    );
  }
}
