/**
 * The statements of placement (src/thread/place.ts): archive pages and their candidate copies,
 * messages without threading headers and their candidate parents, merging a page into another
 * copy, and the placements and page_identities tables that record why. Prepared once per pass.
 */
import { createHash } from 'node:crypto';
import { withFlags, type Db } from './db.ts';
import { isObfuscated, nameKey } from './people.ts';
import type { ThreadingChanges } from './threading-tables.ts';

/** A message as placement reads it. */
export interface PlaceRow {
  id: number;
  messageId: string;
  subjectNorm: string | null;
  authorId: number | null;
  fromName: string | null;
  fromAddr: string | null;
  date: string | null;
  dateRaw: string | null;
  dateApprox: boolean;
  body: string | null;
  idKind: string;
  /** Format of the primary raw copy: `rfc822`, `hypermail-text`, `hypermail-html`. */
  format: string | null;
  /** SHA-256 of the primary raw copy. */
  rawSha: string | null;
  /** From the parsed subject: a reply ("Re:"), and a patch's N/M counter and version. */
  isReply: boolean;
  counter: number;
  expected: number;
  revision: number;
  isRfc: boolean;
}

/** A posting as the series rule reads it (src/thread/place.ts, seriesHead). */
export type PostingRow = Pick<PlaceRow, 'id' | 'messageId' | 'date' | 'counter' | 'expected'>;

/** The evidence of one page merge, as stored in page_identities. */
export interface IdentityRecord {
  messageId: number;
  pageSha: string;
  timeRule: 'receipt-delay' | 'exact-offset' | 'same-date';
  zoneOffsetMinutes: number | null;
  delaySeconds: number;
  ownSimilarity: number;
  bodySimilarity: number;
}

/** One placement decision, as stored in placements. */
export interface PlacementRecord {
  messageId: number;
  parentId: number | null;
  method: 'attribution' | 'quote' | 'series' | 'subject' | 'missing-parent' | 'none';
  confidence: number;
  evidence: string;
  candidates: number;
}

const COLS = `m.id, m.message_id AS messageId, m.subject_norm AS subjectNorm, m.author_id AS authorId,
  m.from_name AS fromName, m.from_addr AS fromAddr, m.date, m.date_raw AS dateRaw, m.date_approx AS dateApprox, m.body,
  m.id_kind AS idKind, r.format, r.sha256 AS rawSha, COALESCE(sj.is_reply, 0) AS isReply,
  COALESCE(sj.counter, 0) AS counter, COALESCE(sj.expected, 0) AS expected,
  COALESCE(sj.revision, 1) AS revision, COALESCE(sj.is_rfc, 0) AS isRfc`;
const FROM = `messages m LEFT JOIN message_raw r ON r.message_id = m.id LEFT JOIN subjects sj ON sj.message_id = m.id`;
/** A message placement places: real, dated, no threading headers, and a reply, a page's attribution or a numbered patch. */
const ORPHAN = `m.is_ghost = 0 AND m.date IS NOT NULL
  AND (m.parent_reason IS NULL OR m.parent_reason IN ('attribution', 'quote', 'subject', 'series', 'missing-parent'))
  AND NOT EXISTS (SELECT 1 FROM message_refs x WHERE x.message_id = m.id)
  AND (m.attribution IS NOT NULL OR sj.is_reply = 1 OR (sj.counter >= 1 AND sj.expected >= 2))`;

function toRow(r: Record<string, unknown>): PlaceRow {
  return withFlags<PlaceRow>(r, ['dateApprox', 'isReply', 'isRfc']);
}

/**
 * Placements less sure than this are reported as guesses (`argmap problems`, the thread page).
 * 0.7 separates links that one piece of evidence names uniquely (an attribution matched by author
 * and time, 0.8-0.95; a quote found in one candidate's own text, 0.85; a series send, 0.9) from
 * those where candidates tie or only the subject and time order remain (0.3-0.65); the values are
 * set in src/thread/place.ts.
 */
export const LOW_CONFIDENCE = 0.7;

/** One inferred parent link, as `argmap problems` and the site report it. */
export interface PlacementReport {
  messageId: string;
  /** The parent's Message-ID; a `missing-…` id names a ghost built from an attribution line. */
  parent: string | null;
  method: PlacementRecord['method'];
  confidence: number;
  evidence: string;
  candidates: number;
  /** Where the message was read from (its first copy). */
  source: string | null;
  offset: number | null;
}

/**
 * Every inferred parent link with confidence below `below`, oldest message first. A read on any
 * connection (read-only included), so it does not need the prepared writes of PlacementTables.
 */
export function placementsBelow(db: Db, below = LOW_CONFIDENCE): PlacementReport[] {
  return db
    .prepare(
      `SELECT m.message_id AS messageId, pm.message_id AS parent, p.method, p.confidence, p.evidence, p.candidates,
         (SELECT s.location FROM message_sources ms JOIN sources s ON s.id = ms.source_id
           WHERE ms.message_id = m.id ORDER BY ms.source_id, ms.offset LIMIT 1) AS source,
         (SELECT ms.offset FROM message_sources ms WHERE ms.message_id = m.id ORDER BY ms.source_id, ms.offset LIMIT 1) AS offset
       FROM placements p JOIN messages m ON m.id = p.message_id LEFT JOIN messages pm ON pm.id = p.parent_id
       WHERE p.confidence < ? ORDER BY m.date, m.id`,
    )
    .all(below) as PlacementReport[];
}

/**
 * The last rowids of person_names and person_addresses. Taken before new mail is stored, they say
 * which rows of the people tables the new mail added (`PlacementTables.lookupKeysAfter`).
 */
export function peopleRowids(db: Db): [number, number] {
  return db
    .prepare<[], [number, number]>(
      'SELECT (SELECT coalesce(max(rowid), 0) FROM person_names), (SELECT coalesce(max(rowid), 0) FROM person_addresses)',
    )
    .raw()
    .get()!;
}

/** Prefix of the Message-IDs given to parents that an attribution line names but the archive lacks. */
export const MISSING_PREFIX = 'missing-';
/** The first string after every string that starts with MISSING_PREFIX. */
const MISSING_END =
  MISSING_PREFIX.slice(0, -1) + String.fromCharCode(MISSING_PREFIX.charCodeAt(MISSING_PREFIX.length - 1) + 1);

/** Placement's reads and writes over one database. */
export class PlacementTables {
  private s;

  /**
   * @param changes when given, every change to the threader's input (a parent set to something
   * else, a ghost made or dropped, a page merged) is recorded there for an incremental rethread.
   */
  constructor(
    private readonly db: Db,
    private readonly changes?: ThreadingChanges,
  ) {
    this.s = {
      pages: db.prepare(
        `SELECT ${COLS} FROM ${FROM}
         WHERE m.id_kind = 'synthetic' AND r.format LIKE 'hypermail%' ORDER BY m.id`,
      ),
      sameSubject: db.prepare(
        `SELECT ${COLS} FROM ${FROM}
         WHERE m.subject_norm = ? AND m.is_ghost = 0 AND m.date BETWEEN ? AND ? AND m.id != ?
         ORDER BY m.id LIMIT ?`,
      ),
      orphans: db.prepare(`SELECT ${COLS} FROM ${FROM} WHERE ${ORPHAN} ORDER BY m.date, m.id`),
      orphansSince: db.prepare(
        `SELECT ${COLS} FROM ${FROM} WHERE ${ORPHAN} AND m.date >= ? ORDER BY m.date, m.id`,
      ),
      orphansIn: db.prepare(
        `SELECT ${COLS} FROM ${FROM}
         WHERE ${ORPHAN} AND m.id IN (SELECT value FROM json_each(?)) ORDER BY m.date, m.id`,
      ),
      earliestOf: db
        .prepare<[string], string | null>(
          'SELECT min(date) FROM messages WHERE id IN (SELECT value FROM json_each(?))',
        )
        .pluck(),
      dateOf: db.prepare<[number], string | null>('SELECT date FROM messages WHERE id = ?').pluck(),
      newNameKeys: db
        .prepare<[number], string>('SELECT DISTINCT key FROM person_names WHERE rowid > ?')
        .pluck(),
      newAddresses: db.prepare<[number], { addr: string; obfuscated: number }>(
        'SELECT addr, obfuscated FROM person_addresses WHERE rowid > ?',
      ),
      lookedUpBy: db
        .prepare<[string], number>(
          'SELECT DISTINCT message_id FROM placement_lookups WHERE key IN (SELECT value FROM json_each(?))',
        )
        .pluck(),
      clearLookups: db.prepare('DELETE FROM placement_lookups'),
      forgetOrphan: db.prepare('DELETE FROM placement_lookups WHERE message_id = ?'),
      forgetPlacement: db.prepare('DELETE FROM placements WHERE message_id = ?'),
      insertLookup: db.prepare('INSERT OR IGNORE INTO placement_lookups(message_id, key) VALUES (?, ?)'),
      lastUser: db
        .prepare<[number], number>(
          'SELECT id FROM messages WHERE parent_id = ? AND is_ghost = 0 ORDER BY date DESC, id DESC LIMIT 1',
        )
        .pluck(),
      candidatesBySubject: db.prepare(
        `SELECT ${COLS} FROM ${FROM}
         WHERE m.subject_norm = ? AND m.is_ghost = 0 AND m.date BETWEEN ? AND ? AND m.id != ?
         ORDER BY m.date DESC LIMIT ?`,
      ),
      // only what seriesHead reads: no body, and no column stored after it (reading one walks the
      // body's overflow pages; 200 postings for each of 1,710 header-less patches at 10x)
      postingsByAuthor: db.prepare(
        `SELECT m.id, m.message_id AS messageId, m.date, COALESCE(sj.counter, 0) AS counter,
           COALESCE(sj.expected, 0) AS expected
         FROM messages m LEFT JOIN subjects sj ON sj.message_id = m.id
         WHERE m.author_id = ? AND m.is_ghost = 0 AND m.date BETWEEN ? AND ? AND m.id != ? AND COALESCE(sj.is_reply, 0) = 0
         ORDER BY m.date DESC, m.id DESC LIMIT 200`,
      ),
      countBySubject: db
        .prepare<[string, string, string, number, number], number>(
          `SELECT COUNT(*) FROM (SELECT m.id FROM ${FROM}
           WHERE m.subject_norm = ? AND m.is_ghost = 0 AND m.date BETWEEN ? AND ? AND m.id != ? LIMIT ?)`,
        )
        .pluck(),
      candidatesByAuthor: db.prepare(
        `SELECT ${COLS} FROM ${FROM}
         WHERE m.author_id = ? AND m.is_ghost = 0 AND m.date BETWEEN ? AND ? AND m.id != ?
         ORDER BY m.date DESC LIMIT ?`,
      ),
      namesByKey: db.prepare('SELECT person_id FROM person_names WHERE key = ?').pluck(),
      personByAddr: db.prepare('SELECT person_id FROM person_addresses WHERE addr = ?').pluck(),
      personsByLocal: db
        .prepare(
          "SELECT DISTINCT person_id FROM person_addresses WHERE addr LIKE ? ESCAPE '\\' AND obfuscated = 0",
        )
        .pluck(),
      setParent: db.prepare('UPDATE messages SET parent_id = ?, parent_reason = ? WHERE id = ?'),
      clearPlacements: db.prepare('DELETE FROM placements'),
      insertPlacement: db.prepare(
        `INSERT OR REPLACE INTO placements(message_id, parent_id, method, confidence, evidence, candidates)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      insertIdentity: db.prepare(
        `INSERT OR REPLACE INTO page_identities(message_id, page_sha256, time_rule, zone_offset_minutes,
           delay_seconds, own_text_similarity, body_similarity) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      ghostByMsgId: db.prepare('SELECT id FROM messages WHERE message_id = ?').pluck(),
      insertGhost: db.prepare(
        "INSERT INTO messages(message_id, is_ghost, id_kind, from_name, subject, subject_norm) VALUES (?, 1, 'ghost', ?, ?, ?)",
      ),
      // the range on message_id lets the unique index find the few ghosts; testing is_ghost first
      // scanned every message through its body's overflow pages (1 s at 10x)
      unusedMissing: db
        .prepare(
          `SELECT g.id FROM messages g
           WHERE g.message_id >= '${MISSING_PREFIX}' AND g.message_id < '${MISSING_END}'
             AND g.message_id LIKE '${MISSING_PREFIX}%@argmap.invalid' AND g.is_ghost = 1
             AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = g.id)
             AND NOT EXISTS (SELECT 1 FROM message_refs x WHERE x.ref_id = g.id)`,
        )
        .pluck(),
      deleteMessage: db.prepare('DELETE FROM messages WHERE id = ?'),
      threadingOf: db
        .prepare<[number], [number | null, string | null, number | null]>(
          'SELECT parent_id, parent_reason, thread_id FROM messages WHERE id = ?',
        )
        .raw(),
      referrers: db.prepare<[number], number>('SELECT message_id FROM message_refs WHERE ref_id = ?').pluck(),
      children: db.prepare<[number], number>('SELECT id FROM messages WHERE parent_id = ?').pluck(),
    };
  }

  /**
   * While set, every person key `authorsFor` consults is added here (`n:` name key, `a:` address,
   * `l:` local part), for `storeLookups`.
   */
  lookupLog: Set<string> | null = null;
  /** The earliest date of a row merged away or merged into during this pass, if any. */
  mergedSince: string | null = null;

  /** Record that row `id` (and the thread it is stored in) must be threaded again. */
  private touch(id: number | null): void {
    if (!this.changes || id === null) return;
    this.changes.messages.add(id);
    const t = this.s.threadingOf.get(id)?.[2];
    if (t != null) this.changes.threads.add(t);
  }

  /** Every archive page still stored as a message of its own (not yet merged), oldest row first. */
  pages(): PlaceRow[] {
    return (this.s.pages.all() as Record<string, unknown>[]).map(toRow);
  }

  /** Messages (raw or pages) with a subject, dated in [fromIso, toIso], other than `exceptId`. */
  sameSubject(
    subjectNorm: string,
    fromIso: string,
    toIso: string,
    exceptId: number,
    limit: number,
  ): PlaceRow[] {
    return (
      this.s.sameSubject.all(subjectNorm, fromIso, toIso, exceptId, limit) as Record<string, unknown>[]
    ).map(toRow);
  }

  /** Messages without threading headers that look like replies (or are archive pages), oldest first. */
  orphans(): PlaceRow[] {
    return (this.s.orphans.all() as Record<string, unknown>[]).map(toRow);
  }

  /** The orphans (as `orphans()`) dated `sinceIso` or later, oldest first. */
  orphansSince(sinceIso: string): PlaceRow[] {
    return (this.s.orphansSince.all(sinceIso) as Record<string, unknown>[]).map(toRow);
  }

  /** Those of `ids` that are orphans (as `orphans()`), oldest first. */
  orphansIn(ids: Iterable<number>): PlaceRow[] {
    return (this.s.orphansIn.all(JSON.stringify([...ids])) as Record<string, unknown>[]).map(toRow);
  }

  /** The earliest date of the rows `ids`, or null when none has one. */
  earliestOf(ids: Iterable<number>): string | null {
    return this.s.earliestOf.get(JSON.stringify([...ids])) ?? null;
  }

  /** The lookup keys (as `lookupLog` writes them) that rows added to the people tables after `rowids` can answer differently. */
  lookupKeysAfter(rowids: [number, number]): string[] {
    const keys = new Set<string>();
    for (const k of this.s.newNameKeys.all(rowids[0])) keys.add(`n:${k}`);
    for (const r of this.s.newAddresses.all(rowids[1])) {
      keys.add(`a:${r.addr}`);
      if (!r.obfuscated) keys.add(`l:${r.addr.split('@')[0]!}`);
    }
    return [...keys];
  }

  /** A message's parent and the reason it was given. */
  parentOf(id: number): [number | null, string | null] {
    const r = this.s.threadingOf.get(id);
    return r ? [r[0], r[1]] : [null, null];
  }

  /** The messages whose stored placement looked up one of `keys`. */
  lookedUpBy(keys: string[]): number[] {
    return keys.length ? this.s.lookedUpBy.all(JSON.stringify(keys)) : [];
  }

  /** Forget what the last pass decided for orphan `id` (its placement and its lookups). */
  forgetOrphan(id: number): void {
    this.s.forgetPlacement.run(id);
    this.s.forgetOrphan.run(id);
  }

  /** Store the person keys orphan `id`'s placement looked up. */
  storeLookups(id: number, keys: Iterable<string>): void {
    for (const k of keys) this.s.insertLookup.run(id, k);
  }

  /** The newest (by date, then id) message placed under ghost `ghost`, or null. */
  lastUser(ghost: number): number | null {
    return this.s.lastUser.get(ghost) ?? null;
  }

  /** Candidate parents: the same subject, or one of `authors`, dated in [fromIso, toIso], newest first. */
  candidates(
    subjectNorm: string | null,
    authors: number[],
    fromIso: string,
    toIso: string,
    exceptId: number,
    limit: number,
  ): PlaceRow[] {
    const seen = new Map<number, PlaceRow>();
    if (subjectNorm)
      for (const r of this.s.candidatesBySubject.all(subjectNorm, fromIso, toIso, exceptId, limit) as Record<
        string,
        unknown
      >[])
        seen.set(r.id as number, toRow(r));
    for (const a of authors)
      for (const r of this.s.candidatesByAuthor.all(a, fromIso, toIso, exceptId, limit) as Record<
        string,
        unknown
      >[])
        if (!seen.has(r.id as number)) seen.set(r.id as number, toRow(r));
    return [...seen.values()].slice(0, limit);
  }

  /** How many rows `candidates(subjectNorm, [], …)` returns, without reading them. */
  subjectCandidateCount(
    subjectNorm: string | null,
    fromIso: string,
    toIso: string,
    exceptId: number,
    limit: number,
  ): number {
    return subjectNorm ? this.s.countBySubject.get(subjectNorm, fromIso, toIso, exceptId, limit)! : 0;
  }

  /**
   * Postings (not replies) by any of `authors` dated in [fromIso, toIso], newest first: the
   * messages a numbered patch may have been sent with.
   */
  postingsBy(authors: number[], fromIso: string, toIso: string, exceptId: number): PostingRow[] {
    const seen = new Map<number, PostingRow>();
    for (const a of authors)
      for (const r of this.s.postingsByAuthor.all(a, fromIso, toIso, exceptId) as PostingRow[])
        seen.set(r.id, r);
    return [...seen.values()].sort((x, y) => (x.date! < y.date! ? 1 : x.date! > y.date! ? -1 : y.id - x.id));
  }

  /** People an attribution may name: by name, by address, or by an address's local part when unique. */
  authorsFor(name: string, addr: string | null): number[] {
    const ids = new Set<number>();
    const key = nameKey(name);
    const log = this.lookupLog;
    if (key) {
      log?.add(`n:${key}`);
      for (const id of this.s.namesByKey.all(key) as number[]) ids.add(id);
    }
    if (addr) {
      log?.add(`a:${addr}`);
      const exact = this.s.personByAddr.get(addr) as number | undefined;
      if (exact !== undefined) ids.add(exact);
      // An archive's obfuscated address (`mhocko@xxxxxxxx`) names the person whose real address
      // has that local part, when only one has.
      if (exact === undefined ? !ids.size : isObfuscated(addr)) {
        const local = addr.split('@')[0]!;
        log?.add(`l:${local}`);
        const rows = this.s.personsByLocal.all(local.replace(/[%_\\]/g, '\\$&') + '@%') as number[];
        if (rows.length === 1) ids.add(rows[0]!);
      }
    }
    return [...ids];
  }

  /** Set a message's inferred parent (or none). */
  setParent(id: number, parentId: number | null, reason: string | null): void {
    if (this.changes) {
      const old = this.s.threadingOf.get(id);
      if (!old || old[0] !== parentId || old[1] !== reason) {
        this.touch(id);
        this.touch(parentId);
        this.touch(old?.[0] ?? null);
      }
    }
    this.s.setParent.run(parentId, reason, id);
  }

  /** Forget every placement and lookup: a pass places all messages without headers again. */
  clearPlacements(): void {
    this.s.clearPlacements.run();
    this.s.clearLookups.run();
  }

  recordPlacement(p: PlacementRecord): void {
    this.s.insertPlacement.run(p.messageId, p.parentId, p.method, p.confidence, p.evidence, p.candidates);
  }

  recordIdentity(r: IdentityRecord): void {
    this.s.insertIdentity.run(
      r.messageId,
      r.pageSha,
      r.timeRule,
      r.zoneOffsetMinutes,
      r.delaySeconds,
      r.ownSimilarity,
      r.bodySimilarity,
    );
  }

  /**
   * The ghost standing for a message that an attribution line names but the archive does not hold.
   * Its Message-ID is derived from what the line says (author and time), so two replies to the same
   * missing message share one ghost.
   */
  missingParent(key: string, fromName: string, subject: string | null, subjectNorm: string | null): number {
    const mid = `${MISSING_PREFIX}${createHash('sha256').update(key).digest('hex').slice(0, 24)}@argmap.invalid`;
    const existing = this.s.ghostByMsgId.get(mid) as number | undefined;
    if (existing !== undefined) return existing;
    const id = Number(this.s.insertGhost.run(mid, fromName, subject, subjectNorm).lastInsertRowid);
    this.changes?.messages.add(id);
    return id;
  }

  /** Delete missing-parent ghosts that no message hangs under any more (their message arrived). */
  dropUnusedMissing(): number {
    const ids = this.s.unusedMissing.all() as number[];
    for (const id of ids) {
      this.touch(id);
      this.s.forgetPlacement.run(id);
      this.s.deleteMessage.run(id);
    }
    return ids.length;
  }

  /**
   * Merge message `from` (an archive page) into `into`, the same mail: `from`'s sources and bytes
   * become another copy of `into`, replies to it now reply to `into`, and its row goes.
   */
  mergeInto(from: number, into: number): void {
    const db = this.db;
    for (const d of [this.s.dateOf.get(from), this.s.dateOf.get(into)])
      if (d && (this.mergedSince === null || d < this.mergedSince)) this.mergedSince = d;
    if (this.changes) {
      this.touch(from);
      this.touch(into);
      for (const x of this.s.referrers.all(from)) this.touch(x);
      for (const x of this.s.children.all(from)) this.touch(x);
    }
    db.prepare('UPDATE OR IGNORE message_sources SET message_id = ? WHERE message_id = ?').run(into, from);
    // The page's bytes stay in their pack; they become a copy of the message they were merged into.
    db.prepare(
      `INSERT OR IGNORE INTO message_copies(message_id, source_id, offset, format, pack_id, pack_offset, size, sha256)
       SELECT ?, s.source_id, s.offset, r.format, r.pack_id, r.offset, r.size, r.sha256
       FROM message_raw r JOIN message_sources s ON s.message_id = ? AND s.raw_sha256 = r.sha256 WHERE r.message_id = ?`,
    ).run(into, into, from);
    // Copies the page itself had (it may have absorbed another page) follow it.
    db.prepare('UPDATE OR IGNORE message_copies SET message_id = ? WHERE message_id = ?').run(into, from);
    db.prepare('UPDATE OR IGNORE page_identities SET message_id = ? WHERE message_id = ?').run(into, from);
    db.prepare('UPDATE ingest_problems SET message_id = ? WHERE message_id = ?').run(into, from);
    db.prepare(
      "UPDATE messages SET parent_id = ?, parent_reason = COALESCE(parent_reason, 'attribution') WHERE parent_id = ?",
    ).run(into, from);
    db.prepare('UPDATE message_refs SET ref_id = ? WHERE ref_id = ?').run(into, from);
    for (const t of [
      'message_raw',
      'subjects',
      'trailers',
      'attachments',
      'message_refs',
      'message_sources',
      'message_copies',
      'page_identities',
      'placements',
      'placement_lookups',
      'patch_features',
    ]) {
      db.prepare(`DELETE FROM ${t} WHERE message_id = ?`).run(from);
    }
    db.prepare('DELETE FROM messages WHERE id = ?').run(from);
  }

  /** Run `fn` in one write transaction. */
  transaction(fn: () => void): void {
    this.db.transaction(fn).immediate();
  }
}
