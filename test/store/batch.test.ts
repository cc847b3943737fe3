// BatchInsert (src/store/batch.ts) on a real archive's meta table: full batches of 64 rows are
// written as they fill, the remainder on flush, in queue order; `changes` counts what OR IGNORE
// actually added. Expected rows are the ones the test queued, read back with plain SQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { freshDb, row, rows } from '../helpers/archive.ts';
import { BatchInsert } from '../../src/store/batch.ts';

let a: ReturnType<typeof freshDb>;
before(() => {
  a = freshDb();
  a.db.exec('CREATE TABLE t_batch (n INTEGER PRIMARY KEY, label TEXT NOT NULL, extra TEXT)');
});
after(() => a.cleanup());

const count = (): number => row<{ c: number }>(a.db, 'SELECT COUNT(*) AS c FROM t_batch').c;

describe('BatchInsert', () => {
  it('writes each full batch of 64 as it fills and the rest on flush', () => {
    const b = new BatchInsert(a.db, 'INSERT INTO t_batch(n, label, extra)', 3);
    for (let i = 1; i <= 63; i++) b.add(i, `row ${i}`, i % 2 ? null : 'even');
    assert.equal(count(), 0, '63 rows stay queued');
    b.add(64, 'row 64', 'even');
    assert.equal(count(), 64, 'the 64th row writes the batch');
    for (let i = 65; i <= 133; i++) b.add(i, `row ${i}`, i % 2 ? null : 'even');
    assert.equal(count(), 128);
    b.flush();
    assert.equal(count(), 133);
    assert.equal(b.changes, 133);
    const got = rows<{ n: number; label: string; extra: string | null }>(
      a.db,
      'SELECT n, label, extra FROM t_batch ORDER BY n',
    );
    assert.deepEqual(
      got,
      Array.from({ length: 133 }, (_, k) => ({
        n: k + 1,
        label: `row ${k + 1}`,
        extra: (k + 1) % 2 ? null : 'even',
      })),
    );
    b.flush();
    assert.equal(b.changes, 133, 'a second flush with nothing queued writes nothing');
  });

  it('counts only the rows OR IGNORE added', () => {
    const b = new BatchInsert(a.db, 'INSERT OR IGNORE INTO t_batch(n, label, extra)', 3);
    // 1..70 exist already (from the test above); 134..140 are new
    for (let i = 1; i <= 70; i++) b.add(i, 'dup', null);
    for (let i = 134; i <= 140; i++) b.add(i, 'new', null);
    b.flush();
    assert.equal(b.changes, 7);
    assert.equal(count(), 140);
    assert.equal(row<{ label: string }>(a.db, 'SELECT label FROM t_batch WHERE n = 1').label, 'row 1');
  });
});
