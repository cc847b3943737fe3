/**
 * The recipients backfill: archives ingested before migration 7 have no To and Cc stored
 * (`messages.to_addrs` NULL). This post-ingest step reads them from each message's stored raw
 * copy, decoded exactly as ingest decodes new mail (mail/parse.ts), in batches, so an upgraded
 * archive answers `t:` `c:` `tc:` `a:` without reading its sources again. A message whose raw copy
 * is an archive page (which shows no recipients) or cannot be read gets '' (read, none).
 */
import type { Db } from '../store/db.ts';
import { RawReader } from '../store/raw.ts';
import { RecipientTables } from '../store/recipient-tables.ts';
import { parseRecipients } from '../mail/parse.ts';
import { markSearchIndexStale } from '../search/fts.ts';

const BATCH = 500;

/** Fill the recipients of every message that lacks them; returns how many were filled. */
export async function backfillRecipients(db: Db): Promise<number> {
  const tables = new RecipientTables(db);
  if (!tables.anyMissing()) return 0;
  // Messages are read in row-id order, which is pack order: each pack is inflated about once.
  const raw = new RawReader(db);
  let n = 0;
  for (let after = 0; ;) {
    const ids = tables.missingAfter(after, BATCH);
    if (!ids.length) break;
    const found: { id: number; to: string; cc: string }[] = [];
    for (const id of ids) {
      const r = raw.get(id);
      if (!r || r.format !== 'rfc822') found.push({ id, to: '', cc: '' });
      else found.push({ id, ...(await parseRecipients(r.raw)) });
    }
    tables.transaction(() => {
      for (const f of found) tables.set(f.id, f.to, f.cc);
    });
    n += found.length;
    after = ids[ids.length - 1]!;
  }
  // The search index's t: c: columns were built without them.
  if (n > 0) markSearchIndexStale(db);
  return n;
}

/** Whether the backfill has work to do (then an ingest runs its steps although nothing is new). */
export function recipientsMissing(db: Db): boolean {
  return new RecipientTables(db).anyMissing();
}
