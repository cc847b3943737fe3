// The placement tables (src/store/placement.ts) on the four hypermail pages of Wei Xu's replies
// to Huang Ying (test/fixtures/hypermail/wei-xu-27{3,4,7,9}.txt, 6 Apr 2022): no Message-ID, no
// In-Reply-To, the address masked as weixugc@xxxxxxxx. Dates and names were read off the pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb, row, rows } from '../helpers/archive.ts';
import {
  LOW_CONFIDENCE,
  MISSING_PREFIX,
  PlacementTables,
  placementsBelow,
} from '../../src/store/placement.ts';
import { getRaw } from '../../src/store/raw.ts';
import type { Db } from '../../src/store/db.ts';

const PAGES = ['273', '274', '277', '279'].map((n) => fixture('hypermail', `wei-xu-${n}.txt`));
let db: Db;
let cleanup: () => void;
let t: PlacementTables;
before(async () => {
  ({ db, cleanup } = await ingestedDb([...PAGES, fixture('hypermail', 'subthread.mbox')]));
  t = new PlacementTables(db);
});
after(() => cleanup());

describe('reads', () => {
  it('has no archive page left once the raw mail it copies is in', () => {
    assert.deepEqual(t.pages(), []);
    const copies = rows<{ format: string }>(
      db,
      "SELECT format FROM message_copies WHERE format LIKE 'hypermail%'",
    );
    assert.equal(copies.length, 4);
  });

  it('names Wei Xu from the masked address alone, by its local part', () => {
    const wei = row<{ id: number }>(
      db,
      "SELECT person_id AS id FROM person_addresses WHERE addr = 'weixugc@google.com'",
    ).id;
    assert.deepEqual(t.authorsFor('', 'weixugc@xxxxxxxx'), [wei]);
    assert.deepEqual(t.authorsFor('Wei Xu', 'weixugc@xxxxxxxx'), [wei]);
    assert.deepEqual(t.authorsFor('Wei Xu', null), [wei]);
    assert.deepEqual(t.authorsFor('Nobody Here', 'nobody@xxxxxxxx'), []);
    assert.deepEqual(t.authorsFor('', '%@xxxxxxxx'), [], 'LIKE wildcards in a local part match nothing');
  });

  it('finds same-subject candidates in a time window, newest first, never the message itself', () => {
    const m = row<{ id: number; subject_norm: string; date: string }>(
      db,
      "SELECT id, subject_norm, date FROM messages WHERE message_id = 'CAAPL-u8tHSPe03bDuU3+mXbEU-3dKgYQt=jFOHdMq8kwjQmGqQ@mail.gmail.com'",
    );
    const c = t.candidates(m.subject_norm, [], '2022-04-06T00:00:00Z', m.date, m.id, 50);
    assert.ok(c.length > 0);
    assert.ok(c.every((r) => r.id !== m.id && r.subjectNorm === m.subject_norm));
    assert.ok(c.every((r) => r.date! >= '2022-04-06T00:00:00Z' && r.date! <= m.date));
    assert.equal(t.candidates(m.subject_norm, [], '2022-04-06T00:00:00Z', m.date, m.id, 2).length, 2);
  });
});

describe('reports', () => {
  it('lists guesses below the threshold, oldest first', () => {
    const all = placementsBelow(db, 2);
    assert.equal(all.length, rows(db, 'SELECT message_id FROM placements').length);
    const low = placementsBelow(db);
    assert.ok(low.every((p) => p.confidence < LOW_CONFIDENCE));
    assert.equal(low.length, all.filter((p) => p.confidence < LOW_CONFIDENCE).length);
    assert.deepEqual(placementsBelow(db, 0), []);
  });
});

describe('writes', () => {
  it('keeps one ghost per missing parent key, and drops ghosts nothing hangs under', () => {
    const a = t.missingParent('Huang Ying|2022-04-06T08:00', 'Huang Ying', 'Re: x', 're: x');
    assert.equal(t.missingParent('Huang Ying|2022-04-06T08:00', 'Huang Ying', 'Re: x', 're: x'), a);
    const b = t.missingParent('Huang Ying|2022-04-07T08:00', 'Huang Ying', null, null);
    assert.notEqual(a, b);
    const g = row<{ message_id: string; is_ghost: number }>(
      db,
      'SELECT message_id, is_ghost FROM messages WHERE id = ?',
      a,
    );
    assert.ok(g.message_id.startsWith(MISSING_PREFIX) && g.message_id.endsWith('@argmap.invalid'));
    assert.equal(g.is_ghost, 1);
    assert.equal(t.dropUnusedMissing(), 2);
    assert.equal(row(db, 'SELECT id FROM messages WHERE id IN (?, ?)', a, b), undefined);
  });

  it('merges one message into another: sources, bytes as a copy, replies, and the row goes', async () => {
    const f = await ingestedDb([PAGES[0]!, PAGES[1]!]);
    try {
      const pt = new PlacementTables(f.db);
      const [p1, p2] = pt.pages();
      assert.ok(p1 && p2, 'two pages with nothing to merge into');
      assert.equal(p1.format, 'hypermail-text');
      assert.equal(p1.idKind, 'synthetic');
      const raw2 = getRaw(f.db, p2.id)!.raw;
      pt.transaction(() => pt.mergeInto(p2.id, p1.id));
      assert.equal(row(f.db, 'SELECT id FROM messages WHERE id = ?', p2.id), undefined);
      assert.equal(rows(f.db, 'SELECT source_id FROM message_sources WHERE message_id = ?', p1.id).length, 2);
      const copy = row<{ sha256: string }>(
        f.db,
        'SELECT sha256 FROM message_copies WHERE message_id = ?',
        p1.id,
      );
      assert.ok(getRaw(f.db, p1.id, copy.sha256)!.raw.equals(raw2), 'the merged bytes read back as a copy');
      for (const tbl of ['message_raw', 'subjects', 'message_sources', 'placements'])
        assert.equal(row(f.db, `SELECT 1 AS x FROM ${tbl} WHERE message_id = ?`, p2.id), undefined, tbl);
    } finally {
      f.cleanup();
    }
  });
});

describe('query plans (migration 10)', () => {
  // The archive-wide reads must not scan every message: the columns they test sit after the body,
  // so a scan walks every body's overflow pages (10.7 s and 5.0 s on the 10x archive).
  const plan = (stmt: string): string[] =>
    (db.prepare(`EXPLAIN QUERY PLAN ${stmt}`).all() as { detail: string }[]).map((r) => r.detail);
  const source = (name: 'pages' | 'orphans'): string =>
    (t as unknown as { s: Record<string, { source: string }> }).s[name]!.source;

  it('pages() reads the archive pages through messages_synthetic', () => {
    assert.ok(
      plan(source('pages')).some((d) => d.includes('messages_synthetic')),
      plan(source('pages')).join('; '),
    );
  });

  it('orphans() reads its candidates through messages_placeable, in date order', () => {
    const p = plan(source('orphans'));
    assert.ok(
      p.some((d) => d.includes('messages_placeable')),
      p.join('; '),
    );
    assert.ok(!p.some((d) => d.includes('TEMP B-TREE')), 'no sort: the index gives the order');
  });
});
