// Derived data (the argument graph, the search index) made by an older release must be rebuilt by
// the next ingest even when that ingest reads nothing new: otherwise `npm start` on an existing
// archive keeps showing the old rules' stances (seen: graph version 2 data under version 4 code).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, freshDb, ingestPaths } from '../helpers/archive.ts';
import { getMeta, setMeta } from '../../src/store/db.ts';
import { graphVersion } from '../../src/graph/build.ts';
import { SEARCH_INDEX_VERSION } from '../../src/search/fts.ts';

describe('post-ingest steps', () => {
  it('rebuild stale derived data on an ingest that adds nothing, and only then', async () => {
    const a = freshDb();
    try {
      const src = [fixture('mbox', 'throttle-2019.mbox')];
      const first = await ingestPaths(a.db, src);
      assert.ok(first.added > 0);
      const claims = (): number => a.db.prepare('SELECT COUNT(*) FROM claim_rows').pluck().get() as number;
      const before = claims();
      assert.ok(before > 0);

      // nothing new, nothing stale: no step runs
      const again = await ingestPaths(a.db, src);
      assert.equal(again.added, 0);
      assert.deepEqual(Object.keys(again.steps), []);

      // data from older rules: both steps run, and leave current versions and the same claims
      setMeta(a.db, 'graph_version', 'old');
      setMeta(a.db, 'search_index_version', 'old');
      a.db.exec('DELETE FROM claim_rows');
      const stale = await ingestPaths(a.db, src);
      assert.equal(stale.added, 0);
      // (every step runs when one is stale; the recipients step finds nothing to read)
      assert.deepEqual(Object.keys(stale.steps).sort(), ['graph', 'recipients', 'search']);
      assert.equal(getMeta(a.db, 'graph_version'), graphVersion());
      assert.equal(getMeta(a.db, 'search_index_version'), SEARCH_INDEX_VERSION);
      assert.equal(claims(), before);
    } finally {
      a.cleanup();
    }
  });
});
