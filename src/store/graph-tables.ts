/**
 * The statements of the graph build's per-thread pass (src/graph/build.ts): what it reads of a
 * thread, the rows it writes (segments, claims, reply edges, topics) and the deletes that make a
 * rebuild start clean. The segmentation, stance and resolution rules stay in src/graph/; this
 * module only knows the tables.
 *
 * Made once per graph build: every statement is prepared in the constructor, and the four row
 * kinds are written through multi-row batches (BatchInsert) because the whole archive writes
 * about a million of them. Queued rows reach the database only on `flush()`.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import { BatchInsert } from './batch.ts';

/** Tables the per-thread pass fills (and a full rebuild empties), in the order they are emptied. */
const THREAD_GRAPH_TABLES = ['segment_spans', 'claim_rows', 'edges', 'claim_topics', 'objections'];

/** Trailers that name the people behind a posting (its proposers). */
export const SIGNER_TRAILERS_SQL =
  "SELECT person_id FROM trailers WHERE message_id = ? AND name IN ('Signed-off-by', 'Co-developed-by') AND person_id IS NOT NULL";

/** One message of a thread as the build reads it: the message row and two flags of its subject. */
export interface ThreadMessageRow {
  id: number;
  message_id: string;
  parent_id: number | null;
  is_ghost: number;
  date: string | null;
  author_id: number | null;
  body: string | null;
  /** Null when the message has no subjects row (a ghost). */
  is_patch: number | null;
  is_reply: number | null;
}

/** One `segment_spans` row. Offsets are UTF-8 byte offsets into the body. */
export interface SegmentSpanRow {
  id: number;
  messageId: number;
  /** 1-based position in the message. */
  seq: number;
  kind: string;
  depth: number;
  start: number;
  end: number;
  para: number | null;
  file: string | null;
  /** For a quote: the message and segment it reproduces, and how sure the resolver is. */
  sourceMessageId: number | null;
  sourceSegmentId: number | null;
  confidence: number | null;
  method: string | null;
}

/** One `claim_rows` row. Offsets are UTF-8 byte offsets into the body. */
export interface ClaimRow {
  id: number;
  messageId: number;
  segmentId: number;
  kind: 'para' | 'trailer';
  n: number;
  start: number;
  end: number;
  authorId: number | null;
  /** The stance stored (an override's, when one applies) and why. */
  stance: string;
  stanceReason: string;
  confidence: number;
  /** The stance the rules decided, kept beside an override. */
  ruleStance: string;
  /** The learned model's stance (paragraphs only; null for trailers or with no model). */
  modelStance: string | null;
  /** The model's runner-up stance and its probability. */
  altStance: string | null;
  altP: number | null;
  /** Where `stance` came from: the rules, the model or an override (decision records are applied after the threads). */
  stanceSource: 'rules' | 'model' | 'override';
}

export class GraphTables {
  private s: {
    clear: Database.Statement[];
    threadIds: Database.Statement<[], number>;
    threadOf: Database.Statement<[number], number | null>;
    messagesOf: Database.Statement<[number], number>;
    delEdges: Database.Statement<[number, number]>;
    delTopics: Database.Statement<[number]>;
    delObjections: Database.Statement<[number]>;
    delClaims: Database.Statement<[number]>;
    delSegments: Database.Statement<[number]>;
    delVersionEdges: Database.Statement;
    maxSegment: Database.Statement<[], number | null>;
    maxClaim: Database.Statement<[], number | null>;
    thread: Database.Statement<[number], ThreadMessageRow>;
    signers: Database.Statement<[number], number>;
  };
  private ins: { seg: BatchInsert; claim: BatchInsert; edge: BatchInsert; topic: BatchInsert };

  constructor(db: Db) {
    this.s = {
      clear: THREAD_GRAPH_TABLES.map((t) => db.prepare(`DELETE FROM ${t}`)),
      threadIds: db
        .prepare<[], number>('SELECT DISTINCT thread_id AS t FROM messages WHERE thread_id IS NOT NULL')
        .pluck(),
      threadOf: db.prepare<[number], number | null>('SELECT thread_id FROM messages WHERE id = ?').pluck(),
      messagesOf: db.prepare<[number], number>('SELECT id FROM messages WHERE thread_id = ?').pluck(),
      delEdges: db.prepare(
        'DELETE FROM edges WHERE src_claim_id IN (SELECT id FROM claim_rows WHERE message_id = ?) OR dst_claim_id IN (SELECT id FROM claim_rows WHERE message_id = ?)',
      ),
      delTopics: db.prepare(
        'DELETE FROM claim_topics WHERE claim_id IN (SELECT id FROM claim_rows WHERE message_id = ?)',
      ),
      delObjections: db.prepare(
        'DELETE FROM objections WHERE claim_id IN (SELECT id FROM claim_rows WHERE message_id = ?)',
      ),
      delClaims: db.prepare('DELETE FROM claim_rows WHERE message_id = ?'),
      delSegments: db.prepare('DELETE FROM segment_spans WHERE message_id = ?'),
      delVersionEdges: db.prepare(
        "DELETE FROM edges WHERE relation IN ('supersedes', 'implements') OR evidence LIKE 'carried%'",
      ),
      maxSegment: db.prepare<[], number | null>('SELECT MAX(id) FROM segment_spans').pluck(),
      maxClaim: db.prepare<[], number | null>('SELECT MAX(id) FROM claim_rows').pluck(),
      thread: db.prepare(
        `SELECT m.id, m.message_id, m.parent_id, m.is_ghost, m.date, m.author_id, m.body, s.is_patch, s.is_reply
         FROM messages m LEFT JOIN subjects s ON s.message_id = m.id
         WHERE m.thread_id = ? ORDER BY m.date, m.id`,
      ),
      signers: db.prepare<[number], number>(SIGNER_TRAILERS_SQL).pluck(),
    };
    this.ins = {
      seg: new BatchInsert(
        db,
        'INSERT INTO segment_spans(id, message_id, seq, kind, depth, start, "end", para, file, source_message_id, source_segment_id, confidence, method)',
        13,
      ),
      claim: new BatchInsert(
        db,
        'INSERT INTO claim_rows(id, message_id, segment_id, kind, n, start, "end", author_id, stance, stance_reason, confidence, rule_stance, model_stance, alt_stance, alt_p, stance_source)',
        16,
      ),
      edge: new BatchInsert(
        db,
        'INSERT OR IGNORE INTO edges(src_claim_id, dst_claim_id, relation, evidence)',
        4,
      ),
      topic: new BatchInsert(db, 'INSERT OR IGNORE INTO claim_topics(claim_id, topic, source)', 3),
    };
  }

  /** Empty every table the per-thread pass fills, and `objections` (a full rebuild). */
  clearThreadGraph(): void {
    for (const s of this.s.clear) s.run();
  }

  /** Every thread that has messages, in no particular order. */
  threadIds(): number[] {
    return this.s.threadIds.all();
  }

  /** The threads the given messages (row ids) belong to, each once; unthreaded messages add none. */
  threadsOfMessages(messageIds: number[]): number[] {
    const set = new Set<number>();
    for (const id of messageIds) {
      const t = this.s.threadOf.get(id);
      if (t !== null && t !== undefined) set.add(t);
    }
    return [...set];
  }

  /**
   * Delete what the graph holds for these threads' messages: their segments, claims, the edges
   * from or to those claims, and the claims' topics and objection rows.
   */
  deleteThreadGraph(threadIds: number[]): void {
    const s = this.s;
    for (const t of threadIds)
      for (const m of s.messagesOf.all(t)) {
        s.delEdges.run(m, m);
        s.delTopics.run(m);
        s.delObjections.run(m);
        s.delClaims.run(m);
        s.delSegments.run(m);
      }
  }

  /**
   * Delete the edges the archive-wide passes draw (supersedes, implements and carried trailers),
   * which the build redraws every time.
   */
  deleteVersionEdges(): void {
    this.s.delVersionEdges.run();
  }

  /** The highest segment id stored (0 when none): new segments are numbered after it. */
  maxSegmentId(): number {
    return this.s.maxSegment.get() ?? 0;
  }

  /** The highest claim id stored (0 when none): new claims are numbered after it. */
  maxClaimId(): number {
    return this.s.maxClaim.get() ?? 0;
  }

  /** A thread's messages (ghosts too) in date order, then row id. */
  threadMessages(threadId: number): ThreadMessageRow[] {
    return this.s.thread.all(threadId);
  }

  /** The people who signed off or co-developed a message's patch (trailers matched to a person). */
  signers(messageId: number): number[] {
    return this.s.signers.all(messageId);
  }

  /** Queue a segment row. */
  insertSegment(r: SegmentSpanRow): void {
    this.ins.seg.add(
      r.id,
      r.messageId,
      r.seq,
      r.kind,
      r.depth,
      r.start,
      r.end,
      r.para,
      r.file,
      r.sourceMessageId,
      r.sourceSegmentId,
      r.confidence,
      r.method,
    );
  }

  /** Queue a claim row. */
  insertClaim(r: ClaimRow): void {
    this.ins.claim.add(
      r.id,
      r.messageId,
      r.segmentId,
      r.kind,
      r.n,
      r.start,
      r.end,
      r.authorId,
      r.stance,
      r.stanceReason,
      r.confidence,
      r.ruleStance,
      r.modelStance,
      r.altStance,
      r.altP,
      r.stanceSource,
    );
  }

  /** Queue a reply edge; a duplicate (same claims and relation) is ignored when written. */
  insertEdge(srcClaimId: number, dstClaimId: number, relation: string, evidence: string): void {
    this.ins.edge.add(srcClaimId, dstClaimId, relation, evidence);
  }

  /** Queue a claim's topic; a duplicate is ignored when written. */
  insertTopic(claimId: number, topic: string, source: 'text' | 'quote'): void {
    this.ins.topic.add(claimId, topic, source);
  }

  /** Write every queued row (before anything reads the graph tables). */
  flush(): void {
    for (const b of Object.values(this.ins)) b.flush();
  }

  /** Reply edges actually added so far (duplicates ignored), counting only written batches. */
  get edgesAdded(): number {
    return this.ins.edge.changes;
  }
}
