// The incremental build: a thread ingested in two halves gives the same graph as in one go. (The
// CLI tests of thread, claims, series and export that were here moved to test/cli/commands/.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, freshDb, ingestPaths, rows, tempDir } from '../helpers/archive.ts';

describe('incremental build', () => {
  it('a thread ingested in two halves gives the same claims, stances and edges as in one go', async () => {
    const text = readFileSync(fixture('mbox', 'reclaim-2020.mbox'), 'latin1');
    const msgs = text.split(/(?=^From mboxrd@z )/m);
    const d = tempDir();
    const a = freshDb();
    const b = freshDb();
    try {
      writeFileSync(join(d.dir, 'first.mbox'), msgs.slice(0, 14).join(''), 'latin1');
      writeFileSync(join(d.dir, 'second.mbox'), msgs.slice(14).join(''), 'latin1');
      await ingestPaths(a.db, [join(d.dir, 'first.mbox')]);
      await ingestPaths(a.db, [join(d.dir, 'second.mbox')]);
      await ingestPaths(b.db, [fixture('mbox', 'reclaim-2020.mbox')]);
      const claims = (db: typeof a.db): string[] =>
        rows<{ k: string }>(db, "SELECT key || ' ' || rule_stance AS k FROM claims ORDER BY 1").map(
          (r) => r.k,
        );
      const edges = (db: typeof a.db): string[] =>
        rows<{ k: string }>(
          db,
          `SELECT s.key || ' ' || e.relation || ' ' || d.key AS k FROM edges e JOIN claims s ON s.id = e.src_claim_id
           JOIN claims d ON d.id = e.dst_claim_id ORDER BY 1`,
        ).map((r) => r.k);
      assert.deepEqual(claims(a.db), claims(b.db));
      assert.deepEqual(edges(a.db), edges(b.db));
    } finally {
      a.cleanup();
      b.cleanup();
      d.cleanup();
    }
  });
});
