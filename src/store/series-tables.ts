/**
 * The statements of the series pass (src/graph/series.ts): the patch mails it groups into
 * postings and chains into series, and the `series` and `patches` rows it writes. The grouping
 * and chaining rules stay in src/graph/; statements are prepared once per build.
 */
import type Database from 'better-sqlite3';
import type { Db } from './db.ts';
import { SIGNER_TRAILERS_SQL } from './graph-tables.ts';

/** A patch mail as the series pass reads it. */
export interface PatchMailRow {
  id: number;
  message_id: string;
  parent_id: number | null;
  author_id: number | null;
  date: string | null;
  /** The parsed subject, as the writer stored it in `subjects` (mail/subject.ts). */
  title: string;
  revision: number;
  revision_inferred: number;
  counter: number;
  expected: number;
  counter_inferred: number;
  is_rfc: number;
  is_resend: number;
  /** The body, or null when `cached` holds the features computed from it. */
  body: string | null;
  /** The cached features (patch_features) when they were computed from this body, else null. */
  cached: CachedFeatures | null;
}

/** A patch mail's cached features, parsed. */
export interface CachedFeatures {
  patchId: string | null;
  links: { id: string; versionContext: boolean }[];
  signers: number[];
}

/** The parsed subject's numbers and flags of a patch mail, as `subjects` stores them. */
type SubjectNumbers = Pick<
  PatchMailRow,
  'revision' | 'revision_inferred' | 'counter' | 'expected' | 'counter_inferred' | 'is_rfc' | 'is_resend'
>;

/** What the series pass reads out of a patch mail's body, as cached in `patch_features`. */
export interface PatchFeatureRow {
  messageId: number;
  /** The Message-ID the features were computed for (`messages.message_id`). */
  messageKey: string;
  patchId: string | null;
  /** JSON: the version links ({id, versionContext}[]). */
  links: string;
  /** JSON: the signers' person ids. */
  signers: string;
}

/** A stored `patches` row, as the incremental series pass compares it. */
export interface StoredPatchRow {
  message_id: number;
  series_id: number;
  version: number;
  part: number;
  total: number;
  is_cover: number;
  patch_id: string | null;
  posting: number;
  is_rfc: number;
  is_resend: number;
  role: string;
  chained_by: string | null;
}

/** A stored `series` row. */
export interface StoredSeriesRow {
  id: number;
  title: string;
  author_id: number | null;
  first_date: string | null;
  last_date: string | null;
  postings: number;
}

/** One `series` row: id is the row id of the first message of the first posting. */
export interface SeriesRow {
  id: number;
  title: string;
  authorId: number | null;
  firstDate: string;
  lastDate: string;
  postings: number;
}

/** One `patches` row. */
export interface PatchRow {
  messageId: number;
  seriesId: number;
  version: number;
  part: number;
  total: number;
  isCover: boolean;
  patchId: string | null;
  /** 1-based position of the posting in its series. */
  posting: number;
  isRfc: boolean;
  isResend: boolean;
  role: 'patch' | 'revert';
  /** The rule that chained this posting to the series; null for the first posting. */
  chainedBy: string | null;
}

export class SeriesTables {
  private s: {
    clear: Database.Statement[];
    clearFeatures: Database.Statement;
    storeFeatures: Database.Statement<[number, string, string | null, string, string]>;
    storedPatches: Database.Statement<[], StoredPatchRow>;
    storedSeries: Database.Statement<[], StoredSeriesRow>;
    storedPatchKeys: Database.Statement<[], [number, number, string]>;
    deletePatchesOf: Database.Statement<[number]>;
    deleteSeries: Database.Statement<[number]>;
    patchMails: Database.Statement<[], unknown[]>;
    subjectOf: Database.Statement<[number], SubjectNumbers>;
    body: Database.Statement<[number], string | null>;
    diffAttachments: Database.Statement<[number], string>;
    signers: Database.Statement<[number], number>;
    insertSeries: Database.Statement<[number, string, number | null, string, string, number]>;
    insertPatch: Database.Statement<[number, ...PatchValues]>;
  };

  constructor(db: Db) {
    this.s = {
      clear: [db.prepare('DELETE FROM patches'), db.prepare('DELETE FROM series')],
      clearFeatures: db.prepare('DELETE FROM patch_features'),
      storeFeatures: db.prepare(
        'INSERT OR REPLACE INTO patch_features(message_id, message_key, patch_id, links, signers) VALUES (?,?,?,?,?)',
      ),
      storedPatches: db.prepare(
        'SELECT message_id, series_id, version, part, total, is_cover, patch_id, posting, is_rfc, is_resend, role, chained_by FROM patches',
      ),
      storedSeries: db.prepare('SELECT id, title, author_id, first_date, last_date, postings FROM series'),
      storedPatchKeys: db
        .prepare<[], [number, number, string]>(
          `SELECT message_id, series_id, series_id || char(0) || version || char(0) || part || char(0) || total
             || char(0) || is_cover || char(0) || COALESCE(patch_id, '') || char(0) || posting || char(0) || is_rfc
             || char(0) || is_resend || char(0) || role || char(0) || COALESCE(chained_by, '') FROM patches`,
        )
        .raw(),
      deletePatchesOf: db.prepare('DELETE FROM patches WHERE series_id = ?'),
      deleteSeries: db.prepare('DELETE FROM series WHERE id = ?'),
      // patch postings that are not replies, and RFC postings that carry a diff (inline or attached).
      // No column after `body` (is_ghost, content_sha256) is read: that walks the body's overflow
      // pages. Ghosts have no subjects row, so the join keeps them out. CROSS JOIN keeps SQLite from
      // walking every message in date order to find the patches (361k random row reads at 10x,
      // instead of the 117k patch rows in row order, then a sort of those). The body is not in the
      // sorted result, where SQLite's sorter would hold every patch body at once (temp_store is
      // memory: 700 MB at 10x): `patchMails()` reads it by id, only when the cached features were
      // not computed from it.
      patchMails: db
        .prepare<[], unknown[]>(
          `SELECT m.id, m.message_id, m.parent_id, m.author_id, m.date, s.title,
             CASE WHEN s.revision < ${2 ** 14} AND s.counter < ${2 ** 17} AND s.expected < ${2 ** 17} THEN
               s.revision_inferred + 2 * s.counter_inferred + 4 * s.is_rfc + 8 * s.is_resend
               + ${2 ** 4} * s.revision + ${2 ** 18} * s.counter + ${2 ** 35} * s.expected END AS packed,
             CASE WHEN f.message_key = m.message_id THEN json_array(f.patch_id, json(f.links), json(f.signers)) END
               AS cached
       FROM subjects s CROSS JOIN messages m ON m.id = s.message_id LEFT JOIN patch_features f ON f.message_id = m.id
       WHERE s.is_reply = 0 AND (s.is_patch = 1 OR (s.is_rfc = 1 AND (m.body LIKE '%diff --git%' OR
             EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id AND a.text LIKE '%diff --git%'))))
       ORDER BY m.date, m.id`,
        )
        .raw(),
      subjectOf: db.prepare<[number], SubjectNumbers>(
        'SELECT revision, revision_inferred, counter, expected, counter_inferred, is_rfc, is_resend FROM subjects WHERE message_id = ?',
      ),
      body: db.prepare<[number], string | null>('SELECT body FROM messages WHERE id = ?').pluck(),
      diffAttachments: db
        .prepare<[number], string>(
          "SELECT text FROM attachments WHERE message_id = ? AND text LIKE '%diff --git%' ORDER BY seq",
        )
        .pluck(),
      signers: db.prepare<[number], number>(SIGNER_TRAILERS_SQL).pluck(),
      insertSeries: db.prepare(
        'INSERT INTO series(id, title, author_id, first_date, last_date, postings) VALUES (?,?,?,?,?,?)',
      ),
      insertPatch: db.prepare(
        'INSERT OR IGNORE INTO patches(message_id, series_id, version, part, total, is_cover, patch_id, posting, is_rfc, is_resend, role, chained_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
      ),
    };
  }

  /** Empty `patches` and `series` (the pass rebuilds both from the archive every time). */
  clear(): void {
    for (const s of this.s.clear) s.run();
  }

  /** Empty the feature cache (a full rebuild computes every feature again). */
  clearFeatures(): void {
    this.s.clearFeatures.run();
  }

  /** Cache what was read out of a patch mail's body. */
  storeFeatures(r: PatchFeatureRow): void {
    this.s.storeFeatures.run(r.messageId, r.messageKey, r.patchId, r.links, r.signers);
  }

  /** Every stored `patches` row. */
  storedPatches(): StoredPatchRow[] {
    return this.s.storedPatches.all();
  }

  /**
   * Every stored `patches` row as the series pass compares it (graph/series.ts `StoredPatchKeys`):
   * the key is made in SQL, so no row object is built for the 117k patches of a 10x archive.
   */
  storedPatchKeys(): Map<number, { series: number; key: string }> {
    const out = new Map<number, { series: number; key: string }>();
    for (const [m, series, key] of this.s.storedPatchKeys.iterate()) out.set(m, { series, key });
    return out;
  }

  /** Every stored `series` row. */
  storedSeries(): StoredSeriesRow[] {
    return this.s.storedSeries.all();
  }

  /** Delete a series and its patch rows (the incremental pass writes it again). */
  deleteSeries(seriesId: number): void {
    this.s.deletePatchesOf.run(seriesId);
    this.s.deleteSeries.run(seriesId);
  }

  /** Every patch mail, in date order then row id (read while iterating: see `diffAttachments`). */
  *patchMails(): IterableIterator<PatchMailRow> {
    // Eight columns a row, as arrays: the subject's small numbers packed into one integer (the
    // parser allows revisions below 10^4 and counters below 10^5) and the cached features in one
    // JSON array. better-sqlite3 converts each value on its own, and with seventeen columns the
    // conversion was most of this read at 10x (117k rows).
    for (const r of this.s.patchMails.iterate()) {
      const id = r[0] as number;
      const packed = r[6] as number | null;
      const sj =
        packed === null
          ? this.s.subjectOf.get(id)!
          : {
              revision_inferred: packed & 1,
              counter_inferred: (packed >> 1) & 1,
              is_rfc: (packed >> 2) & 1,
              is_resend: (packed >> 3) & 1,
              revision: Math.floor(packed / 2 ** 4) % 2 ** 14,
              counter: Math.floor(packed / 2 ** 18) % 2 ** 17,
              expected: Math.floor(packed / 2 ** 35),
            };
      const c = r[7] as string | null;
      const f = c === null ? null : (JSON.parse(c) as [string | null, CachedFeatures['links'], number[]]);
      yield {
        id,
        message_id: r[1] as string,
        parent_id: r[2] as number | null,
        author_id: r[3] as number | null,
        date: r[4] as string | null,
        title: r[5] as string,
        ...sj,
        body: f ? null : (this.s.body.get(id) ?? ''),
        cached: f ? { patchId: f[0], links: f[1], signers: f[2] } : null,
      };
    }
  }

  /** The texts of a message's attachments that hold a diff, in attachment order. */
  diffAttachments(messageId: number): string[] {
    return this.s.diffAttachments.all(messageId);
  }

  /** The people who signed off or co-developed a message's patch. */
  signers(messageId: number): number[] {
    return this.s.signers.all(messageId);
  }

  /** Write a series row. */
  insertSeries(r: SeriesRow): void {
    this.s.insertSeries.run(r.id, r.title, r.authorId, r.firstDate, r.lastDate, r.postings);
  }

  /** Write a patch row (a message already placed in a series is left as it is). */
  insertPatch(r: PatchRow): void {
    this.s.insertPatch.run(r.messageId, ...patchValues(r));
  }
}

/** `patchValues`' tuple: series, version, part, total, cover, patch-id, posting, rfc, resend, role, rule. */
type PatchValues = [
  number,
  number,
  number,
  number,
  number,
  string | null,
  number,
  number,
  number,
  string,
  string | null,
];

/**
 * A patch row's stored values after its message id, in the column order of `patches` (and of
 * `storedPatchKeys`): booleans as 0/1, as SQLite holds them.
 */
export function patchValues(r: PatchRow): PatchValues {
  return [
    r.seriesId,
    r.version,
    r.part,
    r.total,
    r.isCover ? 1 : 0,
    r.patchId,
    r.posting,
    r.isRfc ? 1 : 0,
    r.isResend ? 1 : 0,
    r.role,
    r.chainedBy,
  ];
}
