/**
 * Patch series across versions. With the argument graph (its `series` and `patches` tables,
 * which follow title changes and RESENDs), those are used as they are. Without it, postings are
 * grouped by author and subject title, which misses a series whose title changed between versions.
 */
import type { SiteData } from './data.ts';
import type { Posting, Series } from './pages/more.ts';

function label(version: number, rfc: boolean, resend: boolean): string {
  return `${rfc ? 'RFC ' : ''}v${version}${resend ? ' RESEND' : ''}`;
}

/** Every series of the archive. */
export function loadSeries(data: SiteData): Series[] {
  if (data.features.series && data.features.patches) return fromGraph(data);
  return fromSubjects(data);
}

function fromGraph(data: SiteData): Series[] {
  const rows = data.db
    .prepare(
      `SELECT p.message_id AS row, p.series_id AS sid, p.version, p.part, p.is_cover AS cover, p.posting, p.is_rfc AS rfc,
         p.is_resend AS resend, s.title, m.date, m.message_id AS mid
       FROM patches p JOIN series s ON s.id = p.series_id JOIN messages m ON m.id = p.message_id
       ORDER BY p.series_id, p.posting, p.part`,
    )
    .all() as {
    row: number;
    sid: number;
    version: number;
    part: number;
    cover: number;
    posting: number;
    rfc: number;
    resend: number;
    title: string;
    date: string | null;
    mid: string;
  }[];
  const out = new Map<number, Series & { byPosting: Map<number, Posting> }>();
  for (const r of rows) {
    let s = out.get(r.sid);
    if (!s)
      out.set(
        r.sid,
        (s = {
          title: r.title,
          firstRootMessageId: r.mid,
          postings: [],
          byPosting: new Map(),
          graphId: r.sid,
        }),
      );
    let p = s.byPosting.get(r.posting);
    if (!p) {
      p = {
        rootRow: r.row,
        version: r.version,
        label: label(r.version, Boolean(r.rfc), Boolean(r.resend)),
        date: r.date,
        parts: new Map(),
      };
      s.byPosting.set(r.posting, p);
      s.postings.push(p);
    }
    const part = r.cover ? 0 : r.part;
    if (!p.parts.has(part)) p.parts.set(part, r.row);
    if (r.cover || (part === 1 && !p.parts.has(0))) p.rootRow = r.row;
  }
  return [...out.values()].map(({ title, firstRootMessageId, postings, graphId }) => {
    const first = data.messageByRow(postings[0]!.rootRow);
    return { title, firstRootMessageId: first?.messageId ?? firstRootMessageId, postings, graphId };
  });
}

function fromSubjects(data: SiteData): Series[] {
  const rows = data.db
    .prepare(
      `SELECT s.message_id AS row, s.title, s.normalised, s.revision, s.counter, s.expected, s.is_rfc AS rfc, s.is_resend AS resend,
         m.thread_id AS thread, m.author_id AS author, m.date, m.message_id AS mid, t.root_message_id AS rootRow
       FROM subjects s JOIN messages m ON m.id = s.message_id JOIN threads t ON t.id = m.thread_id
       WHERE s.is_patch = 1 AND s.is_reply = 0 AND m.is_ghost = 0
       ORDER BY m.date, m.id`,
    )
    .all() as {
    row: number;
    title: string;
    normalised: string;
    revision: number;
    counter: number;
    expected: number;
    rfc: number;
    resend: number;
    thread: number;
    author: number | null;
    date: string | null;
    mid: string;
    rootRow: number;
  }[];
  // A posting is a thread whose root is a patch or cover letter; its parts are the patch postings in it.
  const postings = new Map<number, Posting & { key: string; title: string; mid: string }>();
  for (const r of rows) {
    let p = postings.get(r.thread);
    if (!p) {
      if (r.row !== r.rootRow) continue; // a patch inside a thread rooted elsewhere
      p = {
        rootRow: r.row,
        version: r.revision,
        label: label(r.revision, Boolean(r.rfc), Boolean(r.resend)),
        date: r.date,
        parts: new Map(),
        key: `${r.author ?? '?'}\u0000${r.normalised}`,
        title: r.title,
        mid: r.mid,
      };
      postings.set(r.thread, p);
    }
    if (r.revision !== p.version) continue;
    const part = r.counter === 0 && r.expected > 0 ? 0 : Math.max(r.counter, 1);
    if (!p.parts.has(part)) p.parts.set(part, r.row);
  }
  const series = new Map<string, Series>();
  for (const p of postings.values()) {
    let s = series.get(p.key);
    if (!s) series.set(p.key, (s = { title: p.title, firstRootMessageId: p.mid, postings: [] }));
    s.postings.push({ rootRow: p.rootRow, version: p.version, label: p.label, date: p.date, parts: p.parts });
  }
  return [...series.values()];
}
