// The recipients backfill's statements (src/store/recipient-tables.ts) on the throttle thread: after
// ingest nothing is missing; with To/Cc cleared on some rows (as in an archive made before migration
// 7) the reads page through exactly those rows, real messages only, by row id.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { RecipientTables } from '../../src/store/recipient-tables.ts';

const arc = sharedArchive([fixture('mbox', 'throttle-2019.mbox')]);

describe('RecipientTables', () => {
  it('has nothing missing after an ingest', () => {
    const t = new RecipientTables(arc.db);
    assert.equal(t.anyMissing(), false);
    assert.deepEqual(t.missingAfter(0, 10), []);
  });

  it('pages through the real messages whose recipients are unread', () => {
    arc.db.exec('UPDATE messages SET to_addrs = NULL, cc_addrs = NULL');
    arc.db.exec("DELETE FROM meta WHERE key = 'recipients_complete'");
    const t = new RecipientTables(arc.db);
    const real = rows<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE is_ghost = 0 ORDER BY id').map(
      (r) => r.id,
    );
    assert.equal(real.length, 4);
    assert.ok(rows(arc.db, 'SELECT id FROM messages WHERE is_ghost = 1').length > 0, 'ghosts are skipped');
    assert.equal(t.anyMissing(), true);
    assert.deepEqual(t.missingAfter(0, 3), real.slice(0, 3));
    assert.deepEqual(t.missingAfter(real[2]!, 3), real.slice(3));
    t.transaction(() => {
      for (const id of real) t.set(id, 'a@example.org', '');
    });
    assert.equal(t.anyMissing(), false);
    assert.deepEqual(row(arc.db, 'SELECT to_addrs, cc_addrs FROM messages WHERE id = ?', real[0]), {
      to_addrs: 'a@example.org',
      cc_addrs: '',
    });
  });

  it('rolls a failed transaction back', () => {
    const t = new RecipientTables(arc.db);
    const id = row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE is_ghost = 0 LIMIT 1').id;
    assert.throws(() =>
      t.transaction(() => {
        t.set(id, 'changed@example.org', 'x');
        throw new Error('stop');
      }),
    );
    assert.equal(
      row<{ to: string }>(arc.db, 'SELECT to_addrs AS "to" FROM messages WHERE id = ?', id).to,
      'a@example.org',
    );
  });
});
