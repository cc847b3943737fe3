import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { fixture, freshDb, ingestPaths, rows } from '../helpers/archive.ts';

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
