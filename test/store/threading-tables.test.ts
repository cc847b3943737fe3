// The threader's statements (src/store/threading-tables.ts) on a real thread with a ghost: what
// each read returns against a naive SQL oracle, and that the three archive-wide reads go through
// the covering indexes of migration 10 instead of scanning message rows (whose is_ghost sits after
// the body, so a scan walks every body's overflow pages).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb, rows } from '../helpers/archive.ts';
import { ThreadingTables } from '../../src/store/threading-tables.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
let t: ThreadingTables;
before(async () => {
  ({ db, cleanup } = await ingestedDb([fixture('mbox', 'throttle-2019.mbox')]));
  t = new ThreadingTables(db);
});
after(() => cleanup());

const plan = (sql: string): string[] =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail);
const source = (name: string): string =>
  (t as unknown as { s: Record<string, { source: string }> }).s[name]!.source;

describe('threading reads', () => {
  it('messages(): every row, ghosts too, with its threading state', () => {
    const want = rows<{ id: number; g: number; p: number | null; r: string | null; th: number | null }>(
      db,
      'SELECT id, is_ghost AS g, parent_id AS p, parent_reason AS r, thread_id AS th FROM messages ORDER BY id',
    ).map((x) => [x.id, x.g, x.p, x.r, x.th]);
    const got = [...t.messages()].sort((a, b) => (a[0] as number) - (b[0] as number));
    assert.deepEqual(got, want);
    assert.ok(
      want.some((x) => x[1] === 1),
      'the fixture has a ghost (its first parent is not in it)',
    );
  });

  it('messagesInDateOrder(): real messages only, by date, then Message-ID', () => {
    const real = rows<{ id: number; date: string | null; mid: string }>(
      db,
      'SELECT id, date, message_id AS mid FROM messages WHERE is_ghost = 0',
    );
    real.sort((a, b) =>
      (a.date === null) !== (b.date === null)
        ? a.date === null
          ? 1
          : -1
        : (a.date ?? '') < (b.date ?? '')
          ? -1
          : (a.date ?? '') > (b.date ?? '')
            ? 1
            : a.mid < b.mid
              ? -1
              : 1,
    );
    assert.deepEqual(
      t.messagesInDateOrder(),
      real.map((r) => r.id),
    );
  });
});

describe('reads and writes for an incremental rethread', () => {
  it('the *In reads are the archive-wide reads restricted to the given rows, in the same order', () => {
    const all = rows<{ id: number }>(db, 'SELECT id FROM messages ORDER BY id').map((r) => r.id);
    const some = all.filter((_, i) => i % 2 === 0);
    const keep = new Set(some);
    assert.ok(some.length >= 2 && some.length < all.length);
    assert.deepEqual(
      t.messagesIn(some).sort((a, b) => a[0] - b[0]),
      [...t.messages()].filter((r) => keep.has(r[0])).sort((a, b) => a[0] - b[0]),
    );
    assert.deepEqual(
      t.refsIn(some),
      [...t.refs()].filter((r) => keep.has(r[0])),
    );
    assert.deepEqual(
      t.messagesInDateOrderIn(some),
      t.messagesInDateOrder().filter((id) => keep.has(id)),
    );
  });

  it('the neighbour reads name what the tables hold', () => {
    for (const { id } of rows<{ id: number }>(db, 'SELECT id FROM messages')) {
      const refs = rows<{ r: number }>(
        db,
        `SELECT ref_id AS r FROM message_refs WHERE message_id = ${id}`,
      ).map((x) => x.r);
      assert.deepEqual(t.refsOf(id).sort(), refs.sort());
      const by = rows<{ m: number }>(db, `SELECT message_id AS m FROM message_refs WHERE ref_id = ${id}`).map(
        (x) => x.m,
      );
      assert.deepEqual(t.referrers(id).sort(), by.sort());
      const row = rows<{ p: number | null; th: number | null }>(
        db,
        `SELECT parent_id AS p, thread_id AS th FROM messages WHERE id = ${id}`,
      )[0]!;
      assert.deepEqual(t.parentAndThread(id), [row.p, row.th]);
      const kids = rows<{ c: number }>(db, `SELECT id AS c FROM messages WHERE parent_id = ${id}`).map(
        (x) => x.c,
      );
      assert.deepEqual(t.children(id).sort(), kids.sort());
    }
    assert.equal(t.parentAndThread(1e9), undefined);
  });

  it('rebuildThreadsIn over every thread id writes what rebuildThreads writes', () => {
    const dump = (): unknown[] => rows(db, 'SELECT * FROM threads ORDER BY id');
    db.exec('SAVEPOINT x');
    try {
      t.rebuildThreads();
      const full = dump();
      assert.ok(full.length >= 1);
      const ids = rows<{ id: number }>(db, 'SELECT DISTINCT thread_id AS id FROM messages').map((r) => r.id);
      db.exec('DELETE FROM threads');
      db.exec(
        "INSERT INTO threads(id, root_message_id, subject, message_count) VALUES (999999, 999999, 'stale', 0)",
      );
      t.rebuildThreadsIn([...ids, 999999]);
      assert.deepEqual(dump(), full, 'the stale row goes, every real one comes back');
    } finally {
      db.exec('ROLLBACK TO x');
      db.exec('RELEASE x');
    }
  });
});

describe('query plans (migration 10)', () => {
  it('the three archive-wide reads use covering indexes', () => {
    for (const [name, index] of [
      ['messages', 'messages_threading'],
      ['order', 'messages_order'],
    ] as const) {
      const p = plan(source(name));
      assert.ok(
        p.some((d) => d.includes(`COVERING INDEX ${index}`)),
        `${name}: ${p.join('; ')}`,
      );
    }
    const fill = plan(source('fillThreads').replace(/^INSERT INTO threads\([^)]*\)\s*/, ''));
    assert.ok(
      fill.some((d) => d.includes('messages_thread_stats')),
      fill.join('; '),
    );
  });
});
