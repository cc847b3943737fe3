/**
 * The statements of the decision-record pass (src/graph/records.ts): the cited messages and
 * paragraphs with their stances and reply edges, and the updates that give a cited paragraph the
 * stance its record implies. Which stance that is, is decided in src/graph/; this module only
 * knows the tables.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';

/** A paragraph claim as the record pass reads it. */
export interface RecordClaimRow {
  id: number;
  n: number;
  /** Row id of its message. */
  message: number;
  author: number | null;
  stance: string;
  rule_stance: string;
  model_stance: string | null;
  stance_reason: string;
  stance_source: string;
}

/** A cited message. */
export interface RecordMessageRow {
  id: number;
  author: number | null;
  date: string | null;
}

export class RecordTables {
  private s: {
    message: Database.Statement<[string], RecordMessageRow>;
    paragraphs: Database.Statement<[number], RecordClaimRow>;
    targets: Database.Statement<[number], number>;
    repliers: Database.Statement<[number], number>;
    ownAck: Database.Statement<[number, number], number>;
    author: Database.Statement<[number], number | null>;
    setStance: Database.Statement<[string, string, string, number, number]>;
    setRelation: Database.Statement<[string, number]>;
    confirm: Database.Statement<[number]>;
  };

  constructor(db: Db) {
    this.s = {
      message: db.prepare(
        'SELECT id, author_id AS author, date FROM messages WHERE message_id = ? AND is_ghost = 0',
      ),
      paragraphs: db.prepare(
        `SELECT id, n, message_id AS message, author_id AS author, stance, rule_stance, model_stance, stance_reason, stance_source
         FROM claim_rows WHERE message_id = ? AND kind = 'para' ORDER BY n`,
      ),
      targets: db
        .prepare<[number], number>(
          "SELECT dst_claim_id FROM edges WHERE src_claim_id = ? AND relation NOT IN ('supersedes', 'implements')",
        )
        .pluck(),
      repliers: db
        .prepare<[number], number>(
          "SELECT src_claim_id FROM edges WHERE dst_claim_id = ? AND relation NOT IN ('supersedes', 'implements')",
        )
        .pluck(),
      ownAck: db
        .prepare<[number, number], number>(
          "SELECT 1 FROM trailers WHERE message_id = ? AND person_id = ? AND name IN ('Acked-by', 'Reviewed-by') LIMIT 1",
        )
        .pluck(),
      author: db.prepare<[number], number | null>('SELECT author_id FROM claim_rows WHERE id = ?').pluck(),
      setStance: db.prepare(
        'UPDATE claim_rows SET stance = ?, stance_reason = ?, stance_source = ?, confidence = ? WHERE id = ?',
      ),
      setRelation: db.prepare(
        "UPDATE OR REPLACE edges SET relation = ? WHERE src_claim_id = ? AND relation NOT IN ('supersedes', 'implements')",
      ),
      confirm: db.prepare(
        'UPDATE claim_rows SET confidence = 1, alt_stance = NULL, alt_p = NULL WHERE id = ?',
      ),
    };
  }

  /** A message by Message-ID (null for a ghost or a message not in the archive). */
  message(messageId: string): RecordMessageRow | null {
    return this.s.message.get(messageId) ?? null;
  }

  /** The paragraph claims of a message, in order. */
  paragraphs(messageRow: number): RecordClaimRow[] {
    return this.s.paragraphs.all(messageRow);
  }

  /** The claims a claim replies to. */
  targets(claimId: number): number[] {
    return this.s.targets.all(claimId);
  }

  /** The claims that reply to a claim. */
  repliers(claimId: number): number[] {
    return this.s.repliers.all(claimId);
  }

  /** The author of a claim. */
  claimAuthor(claimId: number): number | null {
    return this.s.author.get(claimId) ?? null;
  }

  /** Whether the message carries its writer's own Acked-by or Reviewed-by. */
  hasOwnAck(messageRow: number, person: number): boolean {
    return this.s.ownAck.get(messageRow, person) !== undefined;
  }

  /**
   * A record agrees with the machine reading of a claim it classifies: the stance is curated now,
   * so it is shown as sure (no runner-up), whatever probability the model gave it.
   */
  confirm(claimId: number): void {
    this.s.confirm.run(claimId);
  }

  /** Give a claim the stance a record implies; its reply edges take the stance's relation. */
  setStance(claimId: number, stance: string, reason: string, relation: string): void {
    this.s.setStance.run(stance, reason, 'record', 1, claimId);
    this.s.confirm.run(claimId);
    this.s.setRelation.run(relation, claimId);
  }
}
