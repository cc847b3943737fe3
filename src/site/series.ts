/**
 * Patch series across versions, as the argument graph groups them (its `series` and `patches`
 * tables, which follow title changes and RESENDs).
 */
import { seriesPatches } from '../graph/query.ts';
import type { SiteData } from '../store/site-data.ts';
import type { Posting, Series } from './pages/more.ts';

function label(version: number, rfc: boolean, resend: boolean): string {
  return `${rfc ? 'RFC ' : ''}v${version}${resend ? ' RESEND' : ''}`;
}

/** Every series of the archive. */
export function loadSeries(data: SiteData): Series[] {
  const rows = seriesPatches(data.db);
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
