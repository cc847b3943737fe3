// immediateTransaction (src/store/transaction.ts) on a real archive file with two connections: the
// result comes back, a throw leaves nothing behind, and a second writer is refused at BEGIN, before
// any of its work runs (the reason IMMEDIATE is used instead of better-sqlite3's deferred default).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, row } from '../helpers/archive.ts';
import { openDb, type Db } from '../../src/store/db.ts';
import { immediateTransaction } from '../../src/store/transaction.ts';

let a: ReturnType<typeof freshDb>;
let other: Db;
before(() => {
  a = freshDb();
  other = openDb(a.file);
  // fail at once rather than wait for the lock: the test is about when, not whether, it fails
  other.pragma('busy_timeout = 0');
});
after(() => {
  other.close();
  a.cleanup();
});

const meta = (db: Db, key: string): string | undefined =>
  row<{ value: string } | undefined>(db, 'SELECT value FROM meta WHERE key = ?', key)?.value;

describe('immediateTransaction', () => {
  it('returns what the work returns and commits it', () => {
    const n = immediateTransaction(a.db, () => {
      a.db.prepare("INSERT INTO meta(key, value) VALUES ('t-commit', 'yes')").run();
      return 42;
    });
    assert.equal(n, 42);
    assert.equal(meta(other, 't-commit'), 'yes', 'another connection sees the committed row');
  });

  it('rolls back everything when the work throws', () => {
    assert.throws(
      () =>
        immediateTransaction(a.db, () => {
          a.db.prepare("INSERT INTO meta(key, value) VALUES ('t-rollback', 'no')").run();
          throw new Error('step failed');
        }),
      /step failed/,
    );
    assert.equal(meta(a.db, 't-rollback'), undefined);
    assert.equal(a.db.inTransaction, false);
  });

  it('refuses a second writer before its work starts', () => {
    let ran = false;
    immediateTransaction(a.db, () => {
      a.db.prepare("INSERT INTO meta(key, value) VALUES ('t-first', '1')").run();
      assert.throws(
        () =>
          immediateTransaction(other, () => {
            ran = true;
          }),
        (e: unknown) => (e as { code?: string }).code === 'SQLITE_BUSY',
      );
    });
    assert.equal(ran, false, 'the second writer never ran its work');
    assert.equal(meta(other, 't-first'), '1');
  });
});
