/**
 * Reading the argument graph: the API the CLI (`argmap thread`, `claims`, `series`), the exporters
 * and the static site use. Everything returns plain JSON-ready objects; nothing here writes.
 *
 * Claim keys: `MESSAGE-ID#pN` (own-text paragraph N, numbered by `ownParagraphs`) and
 * `MESSAGE-ID#tN` (trailer line N). `resolveClaim` turns a key into a claim.
 */
import type { Db } from '../store/db.ts';
import { UserError } from '../util/errors.ts';

/** A claim row with its text and author, as every graph read returns it. */
export interface ClaimRow {
  id: number;
  messageId: string;
  kind: 'para' | 'trailer';
  n: number;
  author: string | null;
  authorId: number | null;
  date: string | null;
  text: string;
  stance: string;
  ruleStance: string;
  stanceReason: string;
  /** Where the stance came from: the rules, the stance model, a decision record, or a curated override. */
  stanceSource: 'rules' | 'model' | 'record' | 'override';
  /** The model's calibrated probability of `stance` (1 for an override or a record; the rules' class weight without a model). */
  confidence: number;
  /** The model's runner-up stance and its probability (null for trailers and overrides). */
  altStance: string | null;
  altP: number | null;
}

/** A claim with what a reader needs to show it. */
export interface ClaimView extends ClaimRow {
  key: string;
  topics: string[];
  /** For objections: how the objection ended. */
  status: {
    /** The graph's status (addressed, rebutted, conceded, withdrawn, open). */
    status: string;
    evidence: string;
    evidenceKey: string | null;
    evidenceMessageId: string | null;
    /** `record` when a decision record decided it: then `recordStatus` holds its words and `record` names the objection. */
    source: 'rules' | 'record';
    recordStatus: string | null;
    record: string | null;
  } | null;
  /** Claims this one replies to. */
  repliesTo: { key: string; relation: string; evidence: string | null }[];
  /** Claims that reply to this one. */
  repliedBy: { key: string; relation: string; evidence: string | null }[];
}

const CLAIM_SQL = `
SELECT c.id, m.message_id AS messageId, c.kind, c.n, p.name AS author, c.author_id AS authorId, m.date,
       CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
       c.stance, c.rule_stance AS ruleStance, c.stance_reason AS stanceReason, c.stance_source AS stanceSource, c.confidence,
       c.alt_stance AS altStance, c.alt_p AS altP
FROM claim_rows c JOIN messages m ON m.id = c.message_id LEFT JOIN people p ON p.id = c.author_id`;

/** The key of a claim: `MESSAGE-ID#pN` or `MESSAGE-ID#tN`. */
export function claimKey(messageId: string, kind: string, n: number): string {
  return `${messageId}#${kind === 'para' ? 'p' : 't'}${n}`;
}

/** Parse `MESSAGE-ID#pN` / `<MESSAGE-ID>#tN` (also `claim:` and `msg:` prefixes). */
export function parseClaimKey(
  key: string,
): { messageId: string; kind: 'para' | 'trailer'; n: number } | null {
  const m = /^(?:claim:|msg:)?<?([^<>#\s]+@[^<>#\s]+?)>?#([pt])(\d+)$/.exec(key.trim());
  if (!m) return null;
  return { messageId: m[1]!, kind: m[2] === 'p' ? 'para' : 'trailer', n: Number(m[3]) };
}

/** The claim a key names, with its edges, topics and status; null when there is none. */
export function resolveClaim(db: Db, key: string): ClaimView | null {
  const k = parseClaimKey(key);
  if (!k) return null;
  const row = db
    .prepare(`${CLAIM_SQL} WHERE m.message_id = ? AND c.kind = ? AND c.n = ?`)
    .get(k.messageId, k.kind, k.n) as ClaimRow | undefined;
  return row ? decorate(db, [row])[0]! : null;
}

/** Add topics, status and edges to claim rows (a few queries per batch, not per claim). */
export function decorate(db: Db, rows: ClaimRow[]): ClaimView[] {
  const topics = db.prepare('SELECT topic FROM claim_topics WHERE claim_id = ? ORDER BY topic').pluck();
  const status = db.prepare(
    `SELECT o.status, o.evidence, em.message_id AS evidenceMessageId, ec.kind AS ek, ec.n AS en, ecm.message_id AS emid,
            o.source, o.record_status AS recordStatus, o.record
     FROM objections o LEFT JOIN messages em ON em.id = o.evidence_message_id
     LEFT JOIN claim_rows ec ON ec.id = o.evidence_claim_id LEFT JOIN messages ecm ON ecm.id = ec.message_id
     WHERE o.claim_id = ?`,
  );
  const out = db.prepare(
    `SELECT e.relation, e.evidence, m.message_id AS mid, d.kind, d.n FROM edges e JOIN claim_rows d ON d.id = e.dst_claim_id
     JOIN messages m ON m.id = d.message_id WHERE e.src_claim_id = ?`,
  );
  const inc = db.prepare(
    `SELECT e.relation, e.evidence, m.message_id AS mid, s.kind, s.n FROM edges e JOIN claim_rows s ON s.id = e.src_claim_id
     JOIN messages m ON m.id = s.message_id WHERE e.dst_claim_id = ? ORDER BY m.date`,
  );
  type E = { relation: string; evidence: string | null; mid: string; kind: string; n: number };
  return rows.map((r) => {
    const st = status.get(r.id) as
      | {
          status: string;
          evidence: string;
          evidenceMessageId: string | null;
          ek: string | null;
          en: number | null;
          emid: string | null;
          source: 'rules' | 'record';
          recordStatus: string | null;
          record: string | null;
        }
      | undefined;
    return {
      ...r,
      key: claimKey(r.messageId, r.kind, r.n),
      topics: topics.all(r.id) as string[],
      status: st
        ? {
            status: st.status,
            evidence: st.evidence,
            evidenceKey: st.emid && st.ek ? claimKey(st.emid, st.ek, st.en!) : null,
            evidenceMessageId: st.evidenceMessageId,
            source: st.source,
            recordStatus: st.recordStatus,
            record: st.record,
          }
        : null,
      repliesTo: (out.all(r.id) as E[]).map((e) => ({
        key: claimKey(e.mid, e.kind, e.n),
        relation: e.relation,
        evidence: e.evidence,
      })),
      repliedBy: (inc.all(r.id) as E[]).map((e) => ({
        key: claimKey(e.mid, e.kind, e.n),
        relation: e.relation,
        evidence: e.evidence,
      })),
    };
  });
}

/** Filters for `listClaims`. */
export interface ClaimFilter {
  topic?: string;
  stance?: string;
  /** Person: a name (substring, case-insensitive), an address, or a person id. */
  author?: string;
  /** Objection status: addressed, rebutted, conceded, withdrawn, open. */
  status?: string;
  /** Only claims of this thread (a thread id or any Message-ID in it). */
  thread?: string;
  /** Only claims whose stance confidence is at least this (0–1). */
  minConfidence?: number;
  limit?: number;
}

/** Claims matching the filters, oldest first. */
export function listClaims(db: Db, f: ClaimFilter): ClaimView[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.topic) {
    where.push('c.id IN (SELECT claim_id FROM claim_topics WHERE topic = ?)');
    params.push(f.topic);
  }
  if (f.stance) {
    where.push('c.stance = ?');
    params.push(f.stance);
  }
  if (f.status) {
    where.push('c.id IN (SELECT claim_id FROM objections WHERE status = ?)');
    params.push(f.status);
  }
  if (f.author) {
    const ids = findPeople(db, f.author);
    if (!ids.length) throw new UserError(`no person matches ${JSON.stringify(f.author)}`);
    where.push(`c.author_id IN (${ids.map(() => '?').join(',')})`);
    params.push(...ids);
  }
  if (f.thread) {
    where.push('m.thread_id = ?');
    params.push(threadIdOf(db, f.thread));
  }
  if (f.minConfidence !== undefined) {
    where.push('c.confidence >= ?');
    params.push(f.minConfidence);
  }
  const sql = `${CLAIM_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY m.date, c.message_id, c.kind, c.n LIMIT ?`;
  params.push(f.limit ?? 1000);
  return decorate(db, db.prepare(sql).all(...params) as ClaimRow[]);
}

/** People matching a name substring, an address or an id. */
export function findPeople(db: Db, q: string): number[] {
  if (/^\d+$/.test(q)) return [Number(q)];
  const like = `%${q.toLowerCase()}%`;
  return db
    .prepare(
      `SELECT DISTINCT id FROM (
         SELECT person_id AS id FROM person_names WHERE lower(name) LIKE ?
         UNION SELECT person_id FROM person_addresses WHERE lower(addr) LIKE ?
         UNION SELECT id FROM people WHERE lower(name) LIKE ?)`,
    )
    .pluck()
    .all(like, like, like) as number[];
}

/** A proposal, objection or concession of one person, for their page. */
export interface PersonClaimRow {
  stance: string;
  text: string;
  /** Message-ID of the message the claim is in. */
  mid: string;
  /** The paragraph number. */
  n: number;
  date: string | null;
  /** For objections: how the objection ended (a decision record's words when a record decided it). */
  status: string | null;
  /** The stance's probability, and the model's runner-up (see `isUnsure`). */
  confidence: number;
  alt: string | null;
}

/** A person's proposals, objections and concessions (own paragraphs), oldest first; capped at 2,000. */
export function personClaims(db: Db, personId: number): PersonClaimRow[] {
  return db
    .prepare(
      `SELECT c.stance, c.text, c.n, m.message_id AS mid, m.date, COALESCE(o.record_status, o.status) AS status,
              c.confidence, c.alt_stance AS alt
       FROM claims c JOIN messages m ON m.id = c.message_id LEFT JOIN objections o ON o.claim_id = c.id
       WHERE c.author_id = ? AND c.kind = 'para' AND c.stance IN ('objects-to', 'concedes', 'proposes')
       ORDER BY m.date LIMIT 2000`,
    )
    .all(personId) as PersonClaimRow[];
}

/** A thread id from a thread id or any Message-ID in the thread. */
export function threadIdOf(db: Db, idOrMessageId: string): number {
  const s = idOrMessageId.trim().replace(/^<|>$/g, '');
  if (/^\d+$/.test(s)) {
    const t = db.prepare('SELECT id FROM threads WHERE id = ?').pluck().get(Number(s)) as number | undefined;
    if (t !== undefined) return t;
  }
  const t = db.prepare('SELECT thread_id FROM messages WHERE message_id = ?').pluck().get(s) as
    number | null | undefined;
  if (t === undefined || t === null)
    throw new UserError(`no thread or message ${JSON.stringify(idOrMessageId)} in the archive`);
  return t;
}

/** A segment of a message as the thread view shows it and the segments table holds it. */
export interface SegmentText {
  seq: number;
  kind: string;
  depth: number;
  para: number | null;
  file: string | null;
  text: string;
}

/** One message of a thread view. */
export interface ThreadMessageView {
  messageId: string;
  depth: number;
  parentId: string | null;
  ghost: boolean;
  author: string | null;
  date: string | null;
  subject: string | null;
  segments: (SegmentText & {
    source: {
      messageId: string;
      segment: number | null;
      para: number | null;
      confidence: number | null;
      method: string | null;
    } | null;
  })[];
  claims: ClaimView[];
}

/** A whole thread in reply order (depth-first, children by date), with segments and claims. */
export function threadView(
  db: Db,
  idOrMessageId: string,
  opts: { claims?: boolean } = {},
): {
  threadId: number;
  subject: string | null;
  messages: ThreadMessageView[];
} {
  const threadId = threadIdOf(db, idOrMessageId);
  const rows = db
    .prepare(
      `SELECT m.id, m.message_id, m.parent_id, m.is_ghost, p.name AS author, m.from_name, m.date, m.subject
       FROM messages m LEFT JOIN people p ON p.id = m.author_id WHERE m.thread_id = ? ORDER BY m.date, m.id`,
    )
    .all(threadId) as {
    id: number;
    message_id: string;
    parent_id: number | null;
    is_ghost: number;
    author: string | null;
    from_name: string | null;
    date: string | null;
    subject: string | null;
  }[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const children = new Map<number | null, typeof rows>();
  for (const r of rows) {
    const p = r.parent_id !== null && byId.has(r.parent_id) ? r.parent_id : null;
    (children.get(p) ?? children.set(p, []).get(p)!).push(r);
  }
  // depth-first with an explicit stack (threads can be thousands deep)
  const order: { r: (typeof rows)[number]; depth: number }[] = [];
  const stack: { r: (typeof rows)[number]; depth: number }[] = (children.get(null) ?? [])
    .map((r) => ({ r, depth: 0 }))
    .reverse();
  const seen = new Set<number>();
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x.r.id)) continue;
    seen.add(x.r.id);
    order.push(x);
    const kids = children.get(x.r.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ r: kids[i]!, depth: x.depth + 1 });
  }
  const segs = db.prepare(
    `SELECT s.seq, s.kind, s.depth, s.para, s.file, s.text, sm.message_id AS smid, ss.seq AS sseq, ss.para AS spara,
            s.confidence, s.method
     FROM segments s LEFT JOIN messages sm ON sm.id = s.source_message_id LEFT JOIN segment_spans ss ON ss.id = s.source_segment_id
     WHERE s.message_id = ? ORDER BY s.seq`,
  );
  const claimsOf = db.prepare(`${CLAIM_SQL} WHERE c.message_id = ? ORDER BY c.start`);
  const messages: ThreadMessageView[] = order.map(({ r, depth }) => ({
    messageId: r.message_id,
    depth,
    parentId: r.parent_id !== null ? (byId.get(r.parent_id)?.message_id ?? null) : null,
    ghost: r.is_ghost === 1,
    author: r.author ?? r.from_name,
    date: r.date,
    subject: r.subject,
    segments: (
      segs.all(r.id) as (SegmentText & {
        smid: string | null;
        sseq: number | null;
        spara: number | null;
        confidence: number | null;
        method: string | null;
      })[]
    ).map((s) => ({
      seq: s.seq,
      kind: s.kind,
      depth: s.depth,
      para: s.para,
      file: s.file,
      text: s.text,
      source: s.smid
        ? { messageId: s.smid, segment: s.sseq, para: s.spara, confidence: s.confidence, method: s.method }
        : null,
    })),
    claims: opts.claims === false ? [] : decorate(db, claimsOf.all(r.id) as ClaimRow[]),
  }));
  const root = rows.find((r) => r.parent_id === null) ?? rows[0];
  return { threadId, subject: root?.subject ?? null, messages };
}

/** A quote segment of a thread, with the segment it was traced to. */
export interface QuoteSpanRow {
  /** Row id of the quoting message. */
  m: number;
  /** The quoted lines as written (quote markers included). */
  text: string | null;
  /** Message-ID of the source message, when the quote was traced. */
  smid: string | null;
  /** The source segment's paragraph number and kind (`own`, `patch`, …). */
  spara: number | null;
  skind: string | null;
}

/** Every quote segment of a thread, in message and body order. */
export function threadQuoteSpans(db: Db, threadId: number): QuoteSpanRow[] {
  return db
    .prepare(
      `SELECT s.message_id AS m, CAST(substr(CAST(m.body AS BLOB), s.start + 1, s."end" - s.start) AS TEXT) AS text,
         sm.message_id AS smid, ss.para AS spara, ss.kind AS skind
       FROM segment_spans s JOIN messages m ON m.id = s.message_id
       LEFT JOIN messages sm ON sm.id = s.source_message_id LEFT JOIN segment_spans ss ON ss.id = s.source_segment_id
       WHERE m.thread_id = ? AND s.kind = 'quote' ORDER BY s.message_id, s.seq`,
    )
    .all(threadId) as QuoteSpanRow[];
}

/** The stance of one own paragraph. */
export interface ParagraphStanceRow {
  /** Message-ID of the message the paragraph is in. */
  mid: string;
  n: number;
  stance: string;
  reason: string;
  /** For objections: how the objection ended. */
  status: string | null;
  /** The stance's probability, and the model's runner-up (see `isUnsure`). */
  confidence: number;
  alt: string | null;
}

/** The own paragraphs of a thread that take a stance (neutral ones are left out: most are). */
export function threadParagraphStances(db: Db, threadId: number): ParagraphStanceRow[] {
  return db
    .prepare(
      `SELECT m.message_id AS mid, c.n, c.stance, c.stance_reason AS reason, COALESCE(o.record_status, o.status) AS status,
              c.confidence, c.alt_stance AS alt
       FROM claim_rows c JOIN messages m ON m.id = c.message_id
       LEFT JOIN objections o ON o.claim_id = c.id
       WHERE m.thread_id = ? AND c.kind = 'para' AND c.stance <> 'neutral'`,
    )
    .all(threadId) as ParagraphStanceRow[];
}

/** A paragraph claim as an argument map shows it. */
export interface MapClaimRow {
  id: number;
  /** Message-ID of the message the claim is in. */
  mid: string;
  n: number;
  stance: string;
  author: string | null;
  text: string;
  /** For objections: how the objection ended. */
  status: string | null;
  /** The stance's probability, and the model's runner-up (see `isUnsure`). */
  confidence: number;
  alt: string | null;
}

// Each map query starts from what the thread or the edge pins down (CROSS JOIN fixes the join
// order): left to itself SQLite walked every objection of the archive through the stance index
// for each thread, which made the 36k-message site build take minutes longer.
const MAP_CLAIM_COLS = `SELECT c.id, m.message_id AS mid, c.n, c.stance, COALESCE(p.name, m.from_name) AS author,
      CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
      COALESCE(o.record_status, o.status) AS status, c.confidence, c.alt_stance AS alt`;
const MAP_CLAIM_JOINS = `JOIN messages m ON m.id = c.message_id LEFT JOIN people p ON p.id = c.author_id
    LEFT JOIN objections o ON o.claim_id = c.id`;

/**
 * The objections in a thread to something proposed there (a proposal or an alternative). The `+`
 * keeps SQLite off the stance index, which it otherwise prefers without statistics: that index
 * walks every objection of the archive for each message of the thread (1 s for a 50-message
 * thread of the 36k archive) where the message's own claims are a handful.
 */
export function threadObjections(db: Db, threadId: number): MapClaimRow[] {
  // `+c.stance`: with the plain term SQLite walks the claim_rows_stance index, every objection of
  // the archive for each message of the thread (15 s for a 269-message thread of the 36k archive);
  // the unary plus leaves it the (message_id, kind) index, 0.03 s, same rows.
  return db
    .prepare(
      `${MAP_CLAIM_COLS} FROM messages m CROSS JOIN claim_rows c ON c.message_id = m.id
       LEFT JOIN people p ON p.id = c.author_id LEFT JOIN objections o ON o.claim_id = c.id
       WHERE m.thread_id = ? AND c.kind = 'para' AND +c.stance = 'objects-to'
         AND EXISTS (SELECT 1 FROM edges e JOIN claim_rows d ON d.id = e.dst_claim_id
                     WHERE e.src_claim_id = c.id AND e.relation = 'objects-to' AND d.stance IN ('proposes', 'proposes-alternative'))`,
    )
    .all(threadId) as MapClaimRow[];
}

/** What an argument map reads around each objection; its statements are prepared once per map. */
export interface ObjectionReader {
  /** The paragraph claims that answer the objection through one of the reply relations, by date. */
  replies(objectionId: number): MapClaimRow[];
  /** The proposals (or alternatives) the objection objects to. */
  proposals(objectionId: number): MapClaimRow[];
  /** The relation of an edge from one claim to another, if there is one. */
  relation(srcClaimId: number, dstClaimId: number): string | undefined;
}

/** An `ObjectionReader`; `replyRelations` are the edge relations that count as a reply. */
export function objectionReader(db: Db, replyRelations: readonly string[]): ObjectionReader {
  const replies = db.prepare(
    `${MAP_CLAIM_COLS} FROM edges e CROSS JOIN claim_rows c ON c.id = e.src_claim_id ${MAP_CLAIM_JOINS}
     WHERE e.dst_claim_id = ? AND e.relation IN (${replyRelations.map(() => '?').join(', ')}) AND c.kind = 'para'
     ORDER BY m.date`,
  );
  const proposals = db.prepare(
    `${MAP_CLAIM_COLS} FROM edges e CROSS JOIN claim_rows c ON c.id = e.dst_claim_id ${MAP_CLAIM_JOINS}
     WHERE e.src_claim_id = ? AND e.relation = 'objects-to' AND c.stance IN ('proposes', 'proposes-alternative')`,
  );
  const relation = db
    .prepare('SELECT relation FROM edges WHERE src_claim_id = ? AND dst_claim_id = ? LIMIT 1')
    .pluck();
  return {
    replies: (objectionId) => replies.all(objectionId, ...replyRelations) as MapClaimRow[],
    proposals: (objectionId) => proposals.all(objectionId) as MapClaimRow[],
    relation: (src, dst) => relation.get(src, dst) as string | undefined,
  };
}

/** One posting in a series timeline. */
export interface PostingView {
  posting: number;
  version: number;
  isRfc: boolean;
  isResend: boolean;
  role: string;
  chainedBy: string | null;
  date: string | null;
  author: string | null;
  title: string;
  parts: {
    messageId: string;
    part: number;
    total: number;
    isCover: boolean;
    title: string;
    patchId: string | null;
  }[];
  replies: number;
  /** Review trailers: given in replies to this posting, or carried in its patches. */
  trailers: { name: string; person: string | null; messageId: string; carried: boolean; part: number }[];
  objections: Record<string, number>;
}

/** A series (proposal) timeline: postings with trailers, objection counts, and commits. */
export interface SeriesView {
  id: number;
  title: string;
  author: string | null;
  firstDate: string | null;
  lastDate: string | null;
  postings: PostingView[];
  commits: {
    hash: string;
    subject: string;
    date: string | null;
    links: { messageId: string; method: string; confidence: number; posting: number | null }[];
  }[];
}

/** Find a series by id, by any Message-ID of its postings (or of a reply to them), or by a title substring. */
export function findSeries(db: Db, q: string): number[] {
  const s = q.trim().replace(/^<|>$/g, '');
  if (/^\d+$/.test(s)) {
    const hit = db.prepare('SELECT id FROM series WHERE id = ?').pluck().get(Number(s)) as number | undefined;
    if (hit !== undefined) return [hit];
  }
  if (/@/.test(s)) {
    const direct = db
      .prepare(
        'SELECT p.series_id FROM patches p JOIN messages m ON m.id = p.message_id WHERE m.message_id = ?',
      )
      .pluck()
      .get(s) as number | undefined;
    if (direct !== undefined) return [direct];
    // a reply: the series of a posting in its thread
    const viaThread = db
      .prepare(
        `SELECT DISTINCT p.series_id FROM patches p JOIN messages pm ON pm.id = p.message_id
         WHERE pm.thread_id = (SELECT thread_id FROM messages WHERE message_id = ?)`,
      )
      .pluck()
      .all(s) as number[];
    if (viaThread.length) return viaThread;
    const commit = db
      .prepare(
        'SELECT DISTINCT p.series_id FROM commit_links l JOIN patches p ON p.message_id = l.message_id WHERE l.commit_hash LIKE ?',
      )
      .pluck()
      .all(`${s}%`) as number[];
    if (commit.length) return commit;
  }
  if (/^[0-9a-f]{7,40}$/i.test(s)) {
    const commit = db
      .prepare(
        'SELECT DISTINCT p.series_id FROM commit_links l JOIN patches p ON p.message_id = l.message_id WHERE l.commit_hash LIKE ?',
      )
      .pluck()
      .all(`${s.toLowerCase()}%`) as number[];
    if (commit.length) return commit;
  }
  const like = `%${s.toLowerCase()}%`;
  return db
    .prepare(
      `SELECT DISTINCT p.series_id FROM patches p JOIN subjects sj ON sj.message_id = p.message_id
       WHERE sj.normalised LIKE ? ORDER BY p.series_id`,
    )
    .pluck()
    .all(like) as number[];
}

/** The timeline of one series. */
export function seriesView(db: Db, id: number): SeriesView | null {
  const s = db
    .prepare(
      `SELECT s.id, s.title, p.name AS author, s.first_date AS firstDate, s.last_date AS lastDate
       FROM series s LEFT JOIN people p ON p.id = s.author_id WHERE s.id = ?`,
    )
    .get(id) as Omit<SeriesView, 'postings' | 'commits'> | undefined;
  if (!s) return null;
  const parts = db
    .prepare(
      `SELECT p.message_id AS row, m.message_id AS messageId, p.posting, p.version, p.part, p.total, p.is_cover AS isCover,
              p.patch_id AS patchId, p.is_rfc AS isRfc, p.is_resend AS isResend, p.role, p.chained_by AS chainedBy,
              m.date, pe.name AS author, sj.title, m.thread_id AS thread
       FROM patches p JOIN messages m ON m.id = p.message_id LEFT JOIN people pe ON pe.id = m.author_id
       JOIN subjects sj ON sj.message_id = p.message_id
       WHERE p.series_id = ? ORDER BY p.posting, p.part`,
    )
    .all(id) as {
    row: number;
    messageId: string;
    posting: number;
    version: number;
    part: number;
    total: number;
    isCover: number;
    patchId: string | null;
    isRfc: number;
    isResend: number;
    role: string;
    chainedBy: string | null;
    date: string | null;
    author: string | null;
    title: string;
    thread: number | null;
  }[];
  // The replies below a patch: its reply subtree, not descending into other patches (the parts
  // of a series hang below its cover). SQLite evaluates the recursive CTE as a loop over a queue;
  // LIMIT bounds it on a crafted thread.
  const below = `WITH RECURSIVE below(id) AS (SELECT id FROM messages WHERE parent_id = ? AND id NOT IN (SELECT message_id FROM patches)
       UNION SELECT m.id FROM messages m JOIN below b ON m.parent_id = b.id
       WHERE m.id NOT IN (SELECT message_id FROM patches) LIMIT 5000)`;
  const replyCount = db.prepare(`${below} SELECT COUNT(*) FROM below`).pluck();
  // review trailers given in those replies, by the people who gave them
  const given = db.prepare(
    `${below}
     SELECT t.name, pe.name AS person, m.message_id AS messageId FROM trailers t JOIN messages m ON m.id = t.message_id
     LEFT JOIN people pe ON pe.id = t.person_id
     JOIN subjects sj ON sj.message_id = m.id
     WHERE t.message_id IN (SELECT id FROM below) AND sj.is_reply = 1
       AND t.name IN ('Acked-by', 'Reviewed-by', 'Tested-by', 'Nacked-by')`,
  );
  const carried = db.prepare(
    `SELECT t.name, pe.name AS person FROM trailers t LEFT JOIN people pe ON pe.id = t.person_id
     WHERE t.message_id = ? AND t.name IN ('Acked-by', 'Reviewed-by', 'Tested-by', 'Nacked-by')`,
  );
  const objections = db.prepare(
    `${below}
     SELECT o.status, COUNT(*) AS n FROM objections o JOIN claim_rows c ON c.id = o.claim_id
     WHERE c.message_id IN (SELECT id FROM below) AND c.stance != 'proposes-alternative' GROUP BY o.status`,
  );
  const postings = new Map<number, PostingView>();
  for (const p of parts) {
    let v = postings.get(p.posting);
    if (!v) {
      v = {
        posting: p.posting,
        version: p.version,
        isRfc: p.isRfc === 1,
        isResend: p.isResend === 1,
        role: p.role,
        chainedBy: p.chainedBy,
        date: p.date,
        author: p.author,
        title: p.title,
        parts: [],
        replies: 0,
        trailers: [],
        objections: {},
      };
      postings.set(p.posting, v);
    }
    if (p.isCover) v.title = p.title;
    v.parts.push({
      messageId: p.messageId,
      part: p.part,
      total: p.total,
      isCover: p.isCover === 1,
      title: p.title,
      patchId: p.patchId,
    });
    v.replies += replyCount.get(p.row) as number;
    for (const t of carried.all(p.row) as { name: string; person: string | null }[])
      v.trailers.push({
        name: t.name,
        person: t.person,
        messageId: p.messageId,
        carried: true,
        part: p.part,
      });
    for (const t of given.all(p.row) as { name: string; person: string | null; messageId: string }[])
      v.trailers.push({
        name: t.name,
        person: t.person,
        messageId: t.messageId,
        carried: false,
        part: p.part,
      });
    for (const o of objections.all(p.row) as { status: string; n: number }[])
      v.objections[o.status] = (v.objections[o.status] ?? 0) + o.n;
  }
  const commits = db
    .prepare(
      `SELECT l.commit_hash AS hash, c.subject, COALESCE(c.commit_date, c.author_date) AS date, m.message_id AS messageId,
              l.method, l.confidence, p.posting
       FROM commit_links l JOIN commits c ON c.hash = l.commit_hash JOIN messages m ON m.id = l.message_id
       JOIN patches p ON p.message_id = l.message_id
       WHERE p.series_id = ? ORDER BY l.commit_hash, l.confidence DESC`,
    )
    .all(id) as {
    hash: string;
    subject: string;
    date: string | null;
    messageId: string;
    method: string;
    confidence: number;
    posting: number;
  }[];
  const byHash = new Map<string, SeriesView['commits'][number]>();
  for (const c of commits) {
    let v = byHash.get(c.hash);
    if (!v) byHash.set(c.hash, (v = { hash: c.hash, subject: c.subject, date: c.date, links: [] }));
    v.links.push({ messageId: c.messageId, method: c.method, confidence: c.confidence, posting: c.posting });
  }
  return {
    ...s,
    postings: [...postings.values()],
    commits: [...byHash.values()].sort((a, b) => (maxPosting(a) ?? 0) - (maxPosting(b) ?? 0)),
  };
}

function maxPosting(c: SeriesView['commits'][number]): number | null {
  let m: number | null = null;
  for (const l of c.links) if (l.posting !== null && (m === null || l.posting > m)) m = l.posting;
  return m;
}

/** A paragraph or trailer claim of one message with its byte offsets, as the evaluations read it. */
export interface LabelledClaimRow {
  kind: string;
  n: number;
  stance: string;
  rule_stance: string;
  model_stance: string | null;
  stance_reason: string;
  start: number;
  end: number;
}

/** A quoted span of a message and the message the quote resolver says it came from. */
export interface QuoteSpanRow {
  seq: number;
  kind: string;
  depth: number;
  start: number;
  end: number;
  source_message_id: number | null;
  method: string | null;
  /** Message-ID of the resolved source, if any. */
  source: string | null;
}

/**
 * The reads of the label evaluations (src/graph/eval.ts): labelled messages, their claims and
 * their quoted spans. Prepared once, because an evaluation asks for every labelled message.
 */
export class LabelledReads {
  private s;

  constructor(db: Db) {
    this.s = {
      message: db.prepare<[string], { id: number; body: string; parent_id: number | null }>(
        'SELECT id, body, parent_id FROM messages WHERE message_id = ? AND is_ghost = 0',
      ),
      claims: db.prepare<[number], LabelledClaimRow>(
        // the evaluation measures the rules or the model (and, at message level, the overrides the
        // outline shows), never the decision records' readings
        `SELECT c.kind, c.n, c.stance, c.rule_stance, c.model_stance, c.stance_reason, c.start, c."end" FROM claim_rows c WHERE c.message_id = ? ORDER BY c.start`,
      ),
      quoteSpans: db.prepare<[number], QuoteSpanRow>(
        `SELECT s.seq, s.kind, s.depth, s.start, s."end", s.source_message_id, s.method, sm.message_id AS source
         FROM segment_spans s LEFT JOIN messages sm ON sm.id = s.source_message_id
         WHERE s.message_id = ? AND s.depth > 0 ORDER BY s.seq`,
      ),
      parentOf: db.prepare<[number], number | null>('SELECT parent_id FROM messages WHERE id = ?').pluck(),
      messageIdOf: db.prepare<[number], string>('SELECT message_id FROM messages WHERE id = ?').pluck(),
      ending: db.prepare<
        [string, number],
        { stance: string; status: string | null; endedBy: string | null; evidence: string | null }
      >(
        `SELECT c.stance, o.status, COALESCE(em.message_id, ecm.message_id) AS endedBy, o.evidence
         FROM claim_rows c JOIN messages m ON m.id = c.message_id
         LEFT JOIN objections o ON o.claim_id = c.id
         LEFT JOIN messages em ON em.id = o.evidence_message_id
         LEFT JOIN claim_rows ec ON ec.id = o.evidence_claim_id
         LEFT JOIN messages ecm ON ecm.id = ec.message_id
         WHERE m.message_id = ? AND c.kind = 'para' AND c.n = ? AND m.is_ghost = 0`,
      ),
      threadOf: db
        .prepare<[string], number | null>(
          'SELECT thread_id FROM messages WHERE message_id = ? AND is_ghost = 0',
        )
        .pluck(),
    };
  }

  /** How the graph says the objection in paragraph `n` of a message ended (undefined: not an objection in the graph). */
  objectionEnding(
    messageId: string,
    n: number,
  ): { stance: string; status: string | null; endedBy: string | null; evidence: string | null } | undefined {
    return this.s.ending.get(messageId, n);
  }

  /** The thread a stored message belongs to (null when it is not in this archive). */
  threadOf(messageId: string): number | null {
    return this.s.threadOf.get(messageId) ?? null;
  }

  /** The stored (non-ghost) message with this Message-ID. */
  message(messageId: string): { id: number; body: string; parent_id: number | null } | undefined {
    return this.s.message.get(messageId);
  }

  /** A message's claims in body order. */
  claims(messageRowId: number): LabelledClaimRow[] {
    return this.s.claims.all(messageRowId);
  }

  /** A message's quoted spans (depth > 0) in order. */
  quoteSpans(messageRowId: number): QuoteSpanRow[] {
    return this.s.quoteSpans.all(messageRowId);
  }

  /** A message's parent row id. */
  parentOf(messageRowId: number): number | null {
    return this.s.parentOf.get(messageRowId) ?? null;
  }

  /** A message's Message-ID. */
  messageIdOf(messageRowId: number): string | undefined {
    return this.s.messageIdOf.get(messageRowId);
  }
}

/** A claim row as the graph export writes it (before its key and topics are added). */
export interface ExportClaimRow extends ClaimRow {
  subject: string | null;
  status: string | null;
  statusEvidence: string | null;
}

/** A thread's subject. */
export function threadSubject(db: Db, threadId: number): string | null {
  return (
    (db.prepare('SELECT subject FROM threads WHERE id = ?').pluck().get(threadId) as string | null) ?? null
  );
}

/** The threads a series' mails are in. */
export function seriesThreadIds(db: Db, seriesId: number): number[] {
  return db
    .prepare(
      'SELECT DISTINCT m.thread_id FROM patches p JOIN messages m ON m.id = p.message_id WHERE p.series_id = ? AND m.thread_id IS NOT NULL',
    )
    .pluck()
    .all(seriesId) as number[];
}

/** Every claim in these threads (all threads for null), with its text and objection status, in reading order. */
export function exportClaimRows(db: Db, threads: number[] | null): ExportClaimRow[] {
  const where = threads ? `WHERE m.thread_id IN (${threads.map(() => '?').join(',')})` : '';
  return db
    .prepare(
      `SELECT c.id, m.message_id AS messageId, c.kind, c.n, pe.name AS author, c.author_id AS authorId, m.date, m.subject,
              c.stance, c.rule_stance AS ruleStance, c.stance_reason AS stanceReason, c.stance_source AS stanceSource, c.confidence,
              CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
              o.status, o.evidence AS statusEvidence
       FROM claim_rows c JOIN messages m ON m.id = c.message_id LEFT JOIN people pe ON pe.id = c.author_id
       LEFT JOIN objections o ON o.claim_id = c.id
       ${where} ORDER BY m.date, m.id, c.start`,
    )
    .all(...(threads ?? [])) as ExportClaimRow[];
}

/** Per-claim reads of the graph export: topics and outgoing edges, prepared once. */
export class ClaimLinkReads {
  private s;

  constructor(db: Db) {
    this.s = {
      topics: db
        .prepare<[number], string>('SELECT topic FROM claim_topics WHERE claim_id = ? ORDER BY topic')
        .pluck(),
      edges: db.prepare<[number], { dst: number; relation: string; evidence: string | null }>(
        'SELECT e.dst_claim_id AS dst, e.relation, e.evidence FROM edges e WHERE e.src_claim_id = ?',
      ),
    };
  }

  /** A claim's topics, sorted. */
  topics(claimId: number): string[] {
    return this.s.topics.all(claimId);
  }

  /** The edges leaving a claim. */
  edgesFrom(claimId: number): { dst: number; relation: string; evidence: string | null }[] {
    return this.s.edges.all(claimId);
  }
}

/** One patch of a series, with its posting. */
export interface SeriesPatchRow {
  /** Row id of the patch's message. */
  row: number;
  sid: number;
  version: number;
  part: number;
  cover: number;
  posting: number;
  rfc: number;
  resend: number;
  /** The series title. */
  title: string;
  date: string | null;
  /** Message-ID of the patch's message. */
  mid: string;
}

/** Every patch of every series, in series, posting and part order. */
export function seriesPatches(db: Db): SeriesPatchRow[] {
  return db
    .prepare(
      `SELECT p.message_id AS row, p.series_id AS sid, p.version, p.part, p.is_cover AS cover, p.posting, p.is_rfc AS rfc,
         p.is_resend AS resend, s.title, m.date, m.message_id AS mid
       FROM patches p JOIN series s ON s.id = p.series_id JOIN messages m ON m.id = p.message_id
       ORDER BY p.series_id, p.posting, p.part`,
    )
    .all() as SeriesPatchRow[];
}

/** Per message (row id), a value of one argument facet (search's `stance:`, `status:`, `topic:`). */
export interface MessageFacetRow {
  m: number;
  v: string;
}

/** Every non-neutral claim stance, by message (only claims at least `minConfidence` sure). */
export function messageStances(db: Db, minConfidence = 0): MessageFacetRow[] {
  return db
    .prepare(
      "SELECT message_id AS m, stance AS v FROM claim_rows WHERE stance <> 'neutral' AND confidence >= ?",
    )
    .all(minConfidence) as MessageFacetRow[];
}

/** The messages with a claim of this stance at least this sure: one value of the `stance:` facet. */
export function messagesWithStance(db: Db, stance: string, minConfidence = 0): number[] {
  return db
    .prepare('SELECT DISTINCT message_id FROM claim_rows WHERE stance = ? AND confidence >= ?')
    .pluck()
    .all(stance, minConfidence) as number[];
}

/** The messages that raised an objection with this status: one value of the `status:` facet. */
export function messagesWithObjectionStatus(db: Db, status: string): number[] {
  return db
    .prepare(
      'SELECT DISTINCT c.message_id FROM objections o JOIN claim_rows c ON c.id = o.claim_id WHERE o.status = ?',
    )
    .pluck()
    .all(status) as number[];
}

/** The messages with a claim on this topic, in any letter case: one value of the `topic:` facet. */
export function messagesWithTopic(db: Db, lowerTopic: string): number[] {
  return db
    .prepare(
      `SELECT DISTINCT c.message_id FROM claim_topics t JOIN claim_rows c ON c.id = t.claim_id
       WHERE t.topic IN (SELECT DISTINCT topic FROM claim_topics WHERE lower(topic) = ?)`,
    )
    .pluck()
    .all(lowerTopic) as number[];
}

/** Every objection's status, by the message that raised it. */
export function messageObjectionStatuses(db: Db): MessageFacetRow[] {
  return db
    .prepare(
      'SELECT c.message_id AS m, o.status AS v FROM objections o JOIN claim_rows c ON c.id = o.claim_id',
    )
    .all() as MessageFacetRow[];
}

/** Every claim topic, by message (each message and topic once). */
export function messageTopics(db: Db): MessageFacetRow[] {
  return db
    .prepare(
      'SELECT DISTINCT c.message_id AS m, t.topic AS v FROM claim_topics t JOIN claim_rows c ON c.id = t.claim_id',
    )
    .all() as MessageFacetRow[];
}

/** A (topic, message) pair of a non-ghost message, with its thread, for the topic pages. */
export interface TopicMessageRow {
  /** Topic in lower case (as the `topic:` facet has it). */
  topic: string;
  m: number;
  threadId: number | null;
}

/**
 * Every topic of every non-ghost message, each pair once, in message date order (the order the
 * topic pages list tied threads in).
 */
export function topicMessages(db: Db): TopicMessageRow[] {
  return db
    .prepare(
      `SELECT DISTINCT lower(t.topic) AS topic, c.message_id AS m, msg.thread_id AS threadId
       FROM claim_topics t JOIN claim_rows c ON c.id = t.claim_id JOIN messages msg ON msg.id = c.message_id
       WHERE msg.is_ghost = 0
       ORDER BY COALESCE(msg.date, ''), msg.id, lower(t.topic)`,
    )
    .all() as TopicMessageRow[];
}
