import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fixture, freshDb, ingestPaths, ingestPiece, rows } from '../helpers/archive.ts';
import { rethread } from '../../src/thread/threader.ts';
import type { Db } from '../../src/store/db.ts';

/**
 * The naive oracle: messages in date order (then Message-ID), parents by the same precedence
 * (In-Reply-To, else the last usable References entry; ghosts chained by the earliest References
 * list that names them), loops found by walking up the parent map step by step. No union-find,
 * no typed arrays.
 */
function naiveParents(input: { id: string; irt: string[]; refs: string[] }[]): Map<string, string | null> {
  // Same date for every test message: the order is by Message-ID.
  const msgs = [...input].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const parent = new Map<string, string | null>();
  const all = new Set<string>();
  for (const m of msgs) [m.id, ...m.irt, ...m.refs].forEach((x) => all.add(x));
  for (const x of all) parent.set(x, null);
  const real = new Set(msgs.map((m) => m.id));
  const createsLoop = (child: string, par: string): boolean => {
    for (let x: string | null = par, n = 0; x !== null && n <= all.size; x = parent.get(x) ?? null, n++)
      if (x === child) return true;
    return false;
  };
  const link = (c: string, p: string): boolean => {
    if (c === p || parent.get(c) !== null || createsLoop(c, p)) return false;
    parent.set(c, p);
    return true;
  };
  for (const m of msgs) {
    const irt = m.irt.find((x) => x !== m.id);
    if (irt !== undefined && link(m.id, irt)) continue;
    const refs = m.refs.filter((x) => x !== m.id);
    for (let k = refs.length - 1; k >= 0; k--) if (link(m.id, refs[k]!)) break;
  }
  for (const m of msgs) {
    const refs = m.refs.filter((x) => x !== m.id);
    if (refs.length < 2) continue;
    for (let k = refs.length - 1; k >= 1; k--)
      if (!real.has(refs[k]!) && parent.get(refs[k]!) === null) link(refs[k]!, refs[k - 1]!);
  }
  return parent;
}

function mbox(msgs: { id: string; irt: string[]; refs: string[] }[]): string {
  return msgs
    .map(
      (m) =>
        `From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <${m.id}>\nFrom: a@x.invalid\nSubject: t\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n` +
        (m.irt.length ? `In-Reply-To: ${m.irt.map((x) => `<${x}>`).join(' ')}\n` : '') +
        (m.refs.length ? `References: ${m.refs.map((x) => `<${x}>`).join(' ')}\n` : '') +
        `\nbody of ${m.id}\n\n`,
    )
    .join('');
}

describe('threading', () => {
  it('matches a naive parent-map oracle on random reference graphs with cycles, ghosts and self-references (property)', async () => {
    const id = fc.integer({ min: 0, max: 14 }).map((i) => `m${i}@x`);
    const msg = fc.record({ id, irt: fc.array(id, { maxLength: 2 }), refs: fc.array(id, { maxLength: 5 }) });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(msg, { selector: (m) => m.id, minLength: 1, maxLength: 12 }),
        async (msgs) => {
          const { db, dir, cleanup } = freshDb();
          try {
            // The writer keeps each id once per list, in order: the oracle sees the same lists.
            const clean = msgs.map((m) => ({
              id: m.id,
              irt: [...new Set(m.irt)],
              refs: [...new Set(m.refs)],
            }));
            writeFileSync(join(dir, 'g.mbox'), mbox(clean));
            await ingestPaths(db, [join(dir, 'g.mbox')]);
            const got = new Map(
              rows<{ m: string; p: string | null }>(
                db,
                'SELECT m.message_id AS m, p.message_id AS p FROM messages m LEFT JOIN messages p ON p.id = m.parent_id',
              ).map((r) => [r.m, r.p]),
            );
            assert.deepEqual(got, naiveParents(clean));
            // Thread ids partition messages exactly by their root.
            const byThread = rows<{ m: string; r: string }>(
              db,
              'SELECT m.message_id AS m, r.message_id AS r FROM messages m JOIN messages r ON r.id = m.thread_id',
            );
            for (const { m, r } of byThread) {
              let x: string = m;
              for (let n = 0; got.get(x) != null && n < 100; n++) x = got.get(x)!;
              assert.equal(r, x);
            }
          } finally {
            cleanup();
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives each message of the 2020 memory.reclaim thread the parent its In-Reply-To names (golden: corpus INDEX.tsv)', async () => {
    const index = readFileSync(fixture('INDEX.tsv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'))
      .filter((c) => c[0]?.includes('reclaim-2020') && c[5]);
    assert.equal(index.length, 28);
    const { db, cleanup } = freshDb();
    try {
      await ingestPaths(db, [fixture('mbox', 'reclaim-2020.mbox')]);
      const got = new Map(
        rows<{ m: string; p: string | null }>(
          db,
          'SELECT m.message_id AS m, p.message_id AS p FROM messages m LEFT JOIN messages p ON p.id = m.parent_id WHERE m.is_ghost = 0',
        ).map((r) => [r.m, r.p]),
      );
      for (const c of index) {
        const mid = c[5]!.replace(/[<>]/g, '');
        const irt = c[6] ? c[6].replace(/[<>]/g, '') : null;
        assert.equal(got.get(mid), irt, `parent of ${mid}`);
      }
    } finally {
      cleanup();
    }
  });
});

/** Every row's threading as Message-IDs, and the threads table, for comparing two passes. */
function threadingDump(db: Db): { messages: string[]; threads: string[] } {
  return {
    messages: rows<{ line: string }>(
      db,
      `SELECT m.message_id || ' ' || COALESCE(p.message_id, '-') || ' ' || COALESCE(m.parent_reason, '-') || ' ' ||
         COALESCE(t.message_id, '-') AS line
       FROM messages m LEFT JOIN messages p ON p.id = m.parent_id LEFT JOIN messages t ON t.id = m.thread_id
       ORDER BY m.message_id`,
    ).map((r) => r.line),
    threads: rows<{ line: string }>(
      db,
      `SELECT r.message_id || ' ' || COALESCE(t.subject, '-') || ' ' || t.message_count || ' ' ||
         COALESCE(t.first_date, '-') || ' ' || COALESCE(t.last_date, '-') AS line
       FROM threads t JOIN messages r ON r.id = t.root_message_id ORDER BY r.message_id`,
    ).map((r) => r.line),
  };
}

/**
 * Ingest `pieces` one after another (each ingest after the first re-threads incrementally), then
 * run the full pass over the same archive: it must find nothing to change.
 */
async function appendThenFull(pieces: string[][]): Promise<{ incremental: (number | null)[] }> {
  const { db, dir, cleanup } = freshDb();
  try {
    const incremental: (number | null)[] = [];
    for (const [i, files] of pieces.entries()) {
      const s = await ingestPiece(db, dir, i, files);
      incremental.push(s.threads?.incremental ?? null);
    }
    const before = threadingDump(db);
    const full = rethread(db);
    assert.equal(full.incremental, null);
    assert.equal(full.parentsChanged, 0, 'the full pass changed rows the incremental passes left');
    assert.deepEqual(threadingDump(db), before);
    return { incremental };
  } finally {
    cleanup();
  }
}

/** The messages of an mbox file, in file order. */
function mboxMessages(path: string): string[] {
  return readFileSync(path, 'latin1')
    .split(/(?=^From [^\n]*\d{4}\n)/m)
    .filter((m) => m.startsWith('From '));
}

describe('incremental threading', () => {
  it('gives what a full pass gives, for random reference graphs appended in pieces out of date order (property)', async () => {
    const id = fc.integer({ min: 0, max: 14 }).map((i) => `m${i}@x`);
    const msg = fc.record({
      id,
      irt: fc.array(id, { maxLength: 2 }),
      refs: fc.array(id, { maxLength: 5 }),
      day: fc.integer({ min: 1, max: 9 }),
      piece: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(msg, { selector: (m) => m.id, minLength: 1, maxLength: 14 }),
        async (msgs) => {
          const text = (m: (typeof msgs)[number]): string =>
            mbox([{ id: m.id, irt: [...new Set(m.irt)], refs: [...new Set(m.refs)] }]).replace(
              'Mon, 1 Jan 2024',
              `${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue'][m.day - 1]}, ${m.day} Jan 2024`,
            );
          const pieces = [0, 1, 2, 3]
            .map((k) => msgs.filter((m) => m.piece === k).map(text))
            .filter((p) => p.length)
            .map((p) => [p.join('')]);
          const { incremental } = await appendThenFull(pieces);
          // the first ingest into a new archive threads everything; the later ones do not
          assert.equal(incremental[0], null);
          for (const x of incremental.slice(1)) assert.notEqual(x, null);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('gives what a full pass gives for real mail and archive pages appended newest first, pages before their mail', async () => {
    const sub = mboxMessages(fixture('hypermail', 'subthread.mbox'));
    const reclaim = mboxMessages(fixture('mbox', 'reclaim-2020.mbox')).reverse();
    const page = (name: string): string => readFileSync(fixture('hypermail', name), 'latin1');
    const { incremental } = await appendThenFull([
      [reclaim.slice(0, 9).join('')],
      [page('wei-xu-273.txt'), page('wei-xu-274.txt')],
      [sub.slice(7).join('')],
      [reclaim.slice(9, 20).join(''), page('wei-xu-277.txt'), page('wei-xu-279.txt')],
      [sub.slice(0, 7).join('')],
      [reclaim.slice(20).join('')],
      [
        readFileSync(fixture('mbox', 'throttle-2019.mbox'), 'latin1'),
        readFileSync(fixture('mbox', 'oddities.mbox'), 'latin1'),
      ],
    ]);
    assert.equal(incremental[0], null);
    assert.ok(incremental.slice(1).some((x) => x !== null && x > 0));
  });
});
