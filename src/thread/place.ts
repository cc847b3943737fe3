/**
 * Placing messages that carry no threading headers, and merging archive-page copies into the
 * raw mail they were made from.
 *
 * 1. Merge: a hypermail page has no Message-ID, so it was stored under a synthetic id. When the
 *    archive also holds the raw message (same normalised subject, same author, a date within the
 *    page's receipt-time slack, and the same text once addresses the page obfuscated are ignored),
 *    the page becomes another source of that message and its bytes are kept as a copy.
 * 2. Attribution: a reply without In-Reply-To/References whose first quote is introduced by
 *    "On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <…> wrote:" is attached to that author's message
 *    sent at that local time (any time zone), preferring the same subject.
 * 3. Subject: failing that, a "Re: X" joins the latest earlier message titled X (within 60 days).
 * Inferred parents are flagged in `parent_reason` ('attribution', 'subject').
 */
import type { Db } from '../store/db.ts';
import { parseAttribution, type Attribution } from '../mail/attribution.ts';
import { nameKey } from '../store/people.ts';

/** How far a hypermail receipt time may be from the sent time (time-zone label errors, queueing). */
const PAGE_DATE_SLACK_MS = 36 * 3600_000;
/** How far back a subject-only parent may be. */
const SUBJECT_WINDOW_MS = 60 * 86400_000;
/** Minimum word-shingle similarity for a page to be the same message as a raw mail. */
const SAME_TEXT_SIMILARITY = 0.6;

export interface PlaceStats {
  merged: number;
  byAttribution: number;
  bySubject: number;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\S+@\S+/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter(Boolean);
}

function shingles(text: string, k = 4): Set<string> {
  const w = words(text);
  const s = new Set<string>();
  for (let i = 0; i + k <= w.length; i++) s.add(w.slice(i, i + k).join(' '));
  if (!s.size && w.length) s.add(w.join(' '));
  return s;
}

/** Similarity of two texts: shared word 4-grams over the smaller set (containment). */
export function textSimilarity(a: string, b: string): number {
  const sa = shingles(a);
  const sb = shingles(b);
  if (!sa.size || !sb.size) return 0;
  let common = 0;
  const [small, big] = sa.size <= sb.size ? [sa, sb] : [sb, sa];
  for (const x of small) if (big.has(x)) common++;
  return common / small.size;
}

interface Row {
  id: number;
  message_id: string;
  subject_norm: string | null;
  author_id: number | null;
  from_name: string | null;
  date: string | null;
  body: string | null;
  attribution: string | null;
}

function mergeInto(db: Db, from: number, into: number): void {
  db.prepare('UPDATE OR IGNORE message_sources SET message_id = ? WHERE message_id = ?').run(into, from);
  // The page's bytes stay in their pack; they become a copy of the message they were merged into.
  db.prepare(
    `INSERT OR IGNORE INTO message_copies(message_id, source_id, offset, format, pack_id, pack_offset, size, sha256)
     SELECT ?, s.source_id, s.offset, r.format, r.pack_id, r.offset, r.size, r.sha256
     FROM message_raw r JOIN message_sources s ON s.message_id = ? AND s.raw_sha256 = r.sha256 WHERE r.message_id = ?`,
  ).run(into, into, from);
  db.prepare('UPDATE ingest_problems SET message_id = ? WHERE message_id = ?').run(into, from);
  db.prepare(
    "UPDATE messages SET parent_id = ?, parent_reason = COALESCE(parent_reason, 'attribution') WHERE parent_id = ?",
  ).run(into, from);
  db.prepare('UPDATE message_refs SET ref_id = ? WHERE ref_id = ?').run(into, from);
  for (const t of ['message_raw', 'subjects', 'trailers', 'attachments', 'message_refs', 'message_sources']) {
    db.prepare(`DELETE FROM ${t} WHERE message_id = ?`).run(from);
  }
  db.prepare('DELETE FROM messages WHERE id = ?').run(from);
}

/** Candidate authors for an attribution: by name, or by the local part of an (obfuscated) address. */
function authorsFor(db: Db, a: Attribution): number[] {
  const ids = new Set<number>();
  const key = nameKey(a.name);
  if (key)
    for (const r of db.prepare('SELECT person_id FROM person_names WHERE key = ?').all(key) as {
      person_id: number;
    }[])
      ids.add(r.person_id);
  if (a.addr) {
    const exact = db.prepare('SELECT person_id FROM person_addresses WHERE addr = ?').get(a.addr) as
      { person_id: number } | undefined;
    if (exact) ids.add(exact.person_id);
    else if (!ids.size) {
      const local = a.addr.split('@')[0]!;
      const rows = db
        .prepare(
          "SELECT DISTINCT person_id FROM person_addresses WHERE addr LIKE ? ESCAPE '\\' AND obfuscated = 0",
        )
        .all(local.replace(/[%_\\]/g, '\\$&') + '@%') as { person_id: number }[];
      if (rows.length === 1) ids.add(rows[0]!.person_id);
    }
  }
  return [...ids];
}

/**
 * How well a candidate's UTC date fits an attribution's local time: 0 is a perfect fit, null means
 * impossible. The writer's time zone is unknown, so any offset from UTC-12 to UTC+14 in quarter hours fits.
 */
export function attributionFit(when: NonNullable<Attribution['when']>, utcMs: number): number | null {
  if (when.hour === undefined || when.minute === undefined) return null;
  const d = new Date(utcMs);
  // Treat the attribution's wall-clock time as if it were UTC and compare.
  const year = when.year ?? d.getUTCFullYear();
  const month = (when.month ?? d.getUTCMonth() + 1) - 1;
  const day = when.day ?? d.getUTCDate();
  const wall = Date.UTC(year, month, day, when.hour, when.minute, when.second ?? 0);
  const diff = wall - utcMs; // = zone offset if this is the message
  if (diff < -12 * 3600_000 - 60_000 || diff > 14 * 3600_000 + 60_000) return null;
  const q = 15 * 60_000;
  const off = Math.abs(diff - Math.round(diff / q) * q);
  const tolerance = when.second === undefined ? 60_000 : 2_000;
  return off <= tolerance ? off : null;
}

export function placeMessages(db: Db): PlaceStats {
  const stats: PlaceStats = { merged: 0, byAttribution: 0, bySubject: 0 };
  const tx = db.transaction(() => {
    // 1. Merge archive pages into their raw mail.
    const pages = db
      .prepare(
        `SELECT m.id, m.message_id, m.subject_norm, m.author_id, m.from_name, m.date, m.body, m.attribution
         FROM messages m JOIN message_raw r ON r.message_id = m.id
         WHERE m.id_kind = 'synthetic' AND r.format LIKE 'hypermail%'`,
      )
      .all() as Row[];
    const candidates = db.prepare(
      `SELECT id, message_id, subject_norm, author_id, from_name, date, body, attribution FROM messages
       WHERE subject_norm = ? AND is_ghost = 0 AND id_kind != 'synthetic' AND date BETWEEN ? AND ?`,
    );
    for (const p of pages) {
      if (!p.date || !p.subject_norm) continue;
      const t = Date.parse(p.date);
      const lo = new Date(t - PAGE_DATE_SLACK_MS).toISOString();
      const hi = new Date(t + PAGE_DATE_SLACK_MS).toISOString();
      let best: { row: Row; sim: number } | null = null;
      for (const c of candidates.all(p.subject_norm, lo, hi) as Row[]) {
        const sameAuthor =
          c.author_id === p.author_id ||
          (c.from_name && p.from_name && nameKey(c.from_name) === nameKey(p.from_name));
        if (!sameAuthor) continue;
        const sim = textSimilarity(p.body ?? '', c.body ?? '');
        if (sim >= SAME_TEXT_SIMILARITY && (!best || sim > best.sim)) best = { row: c, sim };
      }
      if (best) {
        mergeInto(db, p.id, best.row.id);
        stats.merged++;
      }
    }

    // 2 and 3. Messages with no threading headers that look like replies.
    const orphans = db
      .prepare(
        `SELECT m.id, m.message_id, m.subject_norm, m.author_id, m.from_name, m.date, m.body, m.attribution
         FROM messages m LEFT JOIN subjects s ON s.message_id = m.id
         WHERE m.is_ghost = 0 AND (m.parent_reason IS NULL OR m.parent_reason IN ('attribution', 'subject'))
           AND NOT EXISTS (SELECT 1 FROM message_refs r WHERE r.message_id = m.id)
           AND (m.attribution IS NOT NULL OR s.is_reply = 1)`,
      )
      .all() as Row[];
    const byAuthor = db.prepare(
      'SELECT id, subject_norm, date FROM messages WHERE author_id = ? AND is_ghost = 0 AND date BETWEEN ? AND ? AND id != ?',
    );
    const bySubject = db.prepare(
      'SELECT id FROM messages WHERE subject_norm = ? AND is_ghost = 0 AND id != ? AND date < ? AND date >= ? ORDER BY date DESC LIMIT 1',
    );
    const setParent = db.prepare('UPDATE messages SET parent_id = ?, parent_reason = ? WHERE id = ?');
    for (const o of orphans) {
      if (!o.date) continue;
      const t = Date.parse(o.date);
      let placed = false;
      const a = o.attribution ? parseAttribution(o.attribution) : null;
      if (a?.when && a.when.hour !== undefined) {
        let best: { id: number; score: number } | null = null;
        const lo = new Date(t - 30 * 86400_000).toISOString();
        for (const pid of authorsFor(db, a)) {
          for (const c of byAuthor.all(pid, lo, o.date, o.id) as {
            id: number;
            subject_norm: string | null;
            date: string;
          }[]) {
            const fit = attributionFit(a.when, Date.parse(c.date));
            if (fit === null) continue;
            const score = fit + (c.subject_norm === o.subject_norm ? 0 : 3_600_000);
            if (!best || score < best.score) best = { id: c.id, score };
          }
        }
        if (best) {
          setParent.run(best.id, 'attribution', o.id);
          stats.byAttribution++;
          placed = true;
        }
      }
      if (!placed && o.subject_norm) {
        const prev = bySubject.get(
          o.subject_norm,
          o.id,
          o.date,
          new Date(t - SUBJECT_WINDOW_MS).toISOString(),
        ) as { id: number } | undefined;
        if (prev) {
          setParent.run(prev.id, 'subject', o.id);
          stats.bySubject++;
        }
      }
    }
  });
  tx.immediate();
  return stats;
}
