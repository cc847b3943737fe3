// The recipients backfill (src/ingest/recipients.ts) on a real archive whose To and Cc were
// cleared, as in one ingested before migration 7: it reads them back from the raw copies, equal to
// what the ingest itself stored and to the headers read off the mbox (throttle-2019.mbox lines
// 48-52), gives '' to a hypermail page (which shows no recipients), and marks the search index stale.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { backfillRecipients, recipientsMissing } from '../../src/ingest/recipients.ts';
import { searchIndexStale } from '../../src/search/fts.ts';

const arc = sharedArchive([fixture('mbox', 'throttle-2019.mbox'), fixture('hypermail', 'wei-xu-273.txt')]);
const V3 = '20190501184104.GA30293@chrisdown.name';
type R = { id: number; mid: string; to: string | null; cc: string | null };
const recipients = (): R[] =>
  rows<R>(
    arc.db,
    'SELECT id, message_id AS mid, to_addrs AS "to", cc_addrs AS cc FROM messages WHERE is_ghost = 0 ORDER BY id',
  );

describe('backfillRecipients', () => {
  it('has nothing to do after an ingest', async () => {
    assert.equal(recipientsMissing(arc.db), false);
    assert.equal(await backfillRecipients(arc.db), 0);
    assert.equal(searchIndexStale(arc.db), false);
  });

  it('reads To and Cc back from the raw copies, as the ingest stored them', async () => {
    const stored = recipients();
    assert.equal(stored.length, 5, 'four mails and one archive page');
    const v3 = stored.find((r) => r.mid === V3)!;
    assert.equal(v3.to, 'Andrew Morton <akpm@linux-foundation.org>');
    for (const a of [
      'hannes@cmpxchg.org',
      'tj@kernel.org',
      'guro@fb.com',
      'kernel-team@fb.com',
      'mhocko@kernel.org',
    ])
      assert.ok(v3.cc?.includes(a), a);
    // the page has no Message-ID: it is stored under a synthetic one
    const page = row<{ id: number }>(
      arc.db,
      "SELECT id FROM messages WHERE message_id LIKE 'synthetic-%'",
    ).id;
    assert.deepEqual(
      [stored.find((r) => r.id === page)?.to, stored.find((r) => r.id === page)?.cc],
      ['', ''],
      'an archive page shows no recipients',
    );

    // as an archive from before migration 7: no recipients, and never said to be complete
    arc.db.exec('UPDATE messages SET to_addrs = NULL, cc_addrs = NULL');
    arc.db.exec("DELETE FROM meta WHERE key = 'recipients_complete'");
    assert.equal(recipientsMissing(arc.db), true);
    assert.equal(await backfillRecipients(arc.db), 5);
    assert.deepEqual(recipients(), stored);
    assert.equal(recipientsMissing(arc.db), false);
    assert.equal(searchIndexStale(arc.db), true, "the index's t: and c: columns were built without them");
    assert.equal(await backfillRecipients(arc.db), 0);
  });
});
