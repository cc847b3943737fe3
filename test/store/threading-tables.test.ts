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
