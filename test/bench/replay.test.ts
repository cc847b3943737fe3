// The N× archive of the scaling bench (bench/scale/replay.ts), on real fixture mail: each copy has
// the original's thread structure (checked against a naive header oracle, against argmap's parser,
// and through a real ingest), and no Message-ID is shared by two copies.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import {
  DEFAULT_SHIFT,
  looksReplayed,
  messagesOf,
  replayArchive,
  replayId,
  rewriteMessage,
} from '../../bench/scale/replay.ts';
import { parseMessage } from '../../src/mail/parse.ts';
import { parseMailDate } from '../../src/mail/date.ts';
import { runCli } from '../helpers/cli.ts';
import { INFERRED_PARENT_REASONS } from '../../src/thread/place.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const MBOXES = [
  'mbox/reclaim-2020.mbox',
  'mbox/throttle-2019.mbox',
  'mbox/oddities.mbox',
  'hypermail/subthread.mbox',
];

/**
 * Naive oracle, written apart from both argmap and the replay code: unfold the header block, take
 * the first <…> of Message-ID as the id and the parent from In-Reply-To, else the last <…> of
 * References.
 */
function oracle(raw: Buffer): { id: string | null; parent: string | null } {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const field = (name: string): string | null => {
    for (const line of head.split(/\r?\n/)) {
      const c = line.indexOf(':');
      if (c > 0 && line.slice(0, c).trim().toLowerCase() === name) return line.slice(c + 1);
    }
    return null;
  };
  const ids = (v: string | null): string[] =>
    [...(v ?? '').matchAll(/<([^<>]+)>/g)]
      .map((m) => m[1]!.replace(/\s+/g, ''))
      .filter((s) => s.includes('@'));
  const irt = ids(field('in-reply-to'));
  const refs = ids(field('references'));
  return { id: ids(field('message-id'))[0] ?? null, parent: irt[0] ?? refs.at(-1) ?? null };
}

const originals = new Map<string, Buffer[]>();
before(async () => {
  for (const f of MBOXES) originals.set(f, await messagesOf(readFileSync(join(FIXTURES, f))));
});

describe('replayId', () => {
  it('never gives two copies the same id, whatever the ids (property)', () => {
    const id = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}@${b}`),
    );
    fc.assert(
      fc.property(id, id, fc.nat(200), fc.nat(200), (a, b, j, k) => {
        fc.pre(j !== k);
        // Copy 0 is the original: an original that already carries a tag could meet a copy (the
        // replay counts such ids; the real archive has none).
        fc.pre(!(j === 0 && looksReplayed(a)) && !(k === 0 && looksReplayed(b)));
        assert.notEqual(replayId(a, j), replayId(b, k));
      }),
      { numRuns: 2000 },
    );
  });
  it('is one to one within a copy (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 200 }), (a, b, k) => {
        fc.pre(a !== b);
        assert.notEqual(replayId(a, k), replayId(b, k));
      }),
    );
  });
});

describe('rewriteMessage on the fixture mbox files', () => {
  it('maps every parent link of the naive oracle one to one, in every copy (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MBOXES), fc.integer({ min: 1, max: 500 }), (file, k) => {
        const orig = originals.get(file)!;
        const before = orig.map(oracle);
        const afterCopy = orig.map((m) => oracle(rewriteMessage(m, k)));
        const idMap = new Map<string, string>();
        for (let i = 0; i < orig.length; i++) {
          const o = before[i]!;
          const c = afterCopy[i]!;
          assert.equal(c.id, o.id === null ? null : replayId(o.id, k));
          assert.equal(c.parent, o.parent === null ? null : replayId(o.parent, k));
          if (o.id !== null) idMap.set(o.id, c.id!);
        }
        // One to one: distinct originals stay distinct.
        assert.equal(new Set(idMap.values()).size, idMap.size);
        // The parent edges, as sets, correspond exactly.
        const edges = (xs: { id: string | null; parent: string | null }[]): string[] =>
          xs.map((x) => `${x.id} <- ${x.parent}`).sort();
        assert.deepEqual(
          edges(afterCopy),
          edges(
            before.map((x) => ({ id: x.id && replayId(x.id, k), parent: x.parent && replayId(x.parent, k) })),
          ),
        );
      }),
      { numRuns: 60 },
    );
  });

  it("gives argmap's parser the tagged ids, the moved date, and the same body", async () => {
    for (const file of MBOXES) {
      for (const k of [1, 7, 42]) {
        for (const raw of originals.get(file)!) {
          const o = await parseMessage(raw);
          const c = await parseMessage(rewriteMessage(raw, k));
          const tag = (id: string): string => replayId(id, k);
          assert.equal(c.messageId, o.messageId && tag(o.messageId), `${file} copy ${k}`);
          assert.deepEqual(c.inReplyTo, o.inReplyTo.map(tag));
          assert.deepEqual(c.references, o.references.map(tag));
          assert.equal(c.body, o.body);
          const od = o.date ? Date.parse(o.date) : null;
          const cd = c.date ? Date.parse(c.date) : null;
          if (od === null) assert.equal(cd, null);
          else assert.equal(cd! - od, k * 60_000, `${file}: ${o.dateRaw} → ${c.dateRaw}`);
        }
      }
    }
  });

  it('moves dates by whole years with years:Y', () => {
    const raw = originals.get('mbox/reclaim-2020.mbox')![0]!;
    const d = (b: Buffer): number => parseMailDate(/^Date:(.*)$/im.exec(b.toString('latin1'))![1]!)!;
    const shifted = rewriteMessage(raw, 3, { kind: 'years', years: 8 });
    assert.equal(new Date(d(shifted)).getUTCFullYear() - new Date(d(raw)).getUTCFullYear(), 24);
  });
});

describe('a replayed archive ingested by argmap', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'argmap-replay-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // A thread's shape: its messages' ids with the copy tag removed, each with its parent's.
  const untag = (x: string | null): string => (x ?? '-').replace(/=r\d+=(?=@[^@]*$|$)/, '');
  const copyOf = (x: string): number => Number(/=r(\d+)=(?:@[^@]*)?$/.exec(x)?.[1] ?? 0);
  const rowsOf = (
    file: string,
  ): { id: string; parent: string | null; reason: string | null; root: string }[] => {
    const db = new Database(file, { readonly: true });
    const rows = db
      .prepare(
        `SELECT m.message_id AS id, p.message_id AS parent, m.parent_reason AS reason, r.message_id AS root
           FROM messages m LEFT JOIN messages p ON p.id = m.parent_id
           JOIN threads t ON t.id = m.thread_id JOIN messages r ON r.id = t.root_message_id`,
      )
      .all() as { id: string; parent: string | null; reason: string | null; root: string }[];
    db.close();
    return rows;
  };
  const shapes = (file: string): string[] => {
    const byRoot = new Map<string, string[]>();
    for (const r of rowsOf(file)) {
      if (!byRoot.has(r.root)) byRoot.set(r.root, []);
      byRoot.get(r.root)!.push(`${untag(r.id)}<${untag(r.parent)}`);
    }
    return [...byRoot.values()].map((v) => v.sort().join(' ')).sort();
  };
  const factor = 3;
  const src = MBOXES.map((f) => join(FIXTURES, f));
  let base: string[] = [];
  before(async () => {
    const one = join(dir, 'one.sqlite');
    assert.equal((await runCli(['ingest', '--db', one, ...src])).code, 0);
    base = shapes(one);
  });

  it('with years:8 has factor × the threads of the original, the same shapes, and no id shared by two copies', async () => {
    const s = await replayArchive(src, factor, join(dir, 'years'), { kind: 'years', years: 8 });
    assert.equal(s.suspiciousIds, 0);
    const total = [...originals.values()].reduce((a, m) => a + m.length, 0);
    assert.equal(s.messages, factor * total);

    // No collision: every copy's Message-IDs, read by the oracle, are disjoint from every other's.
    const perCopy: Set<string>[] = Array.from({ length: factor }, () => new Set());
    for (const f of s.files) {
      for (const raw of await messagesOf(gunzipSync(readFileSync(f)))) {
        const copy = Number(/^X-Argmap-Replay: (\d+)/m.exec(raw.toString('latin1', 0, 200))?.[1] ?? 0);
        const { id } = oracle(raw);
        if (id) perCopy[copy]!.add(id);
      }
    }
    const union = new Set(perCopy.flatMap((x) => [...x]));
    assert.equal(
      union.size,
      perCopy.reduce((a, x) => a + x.size, 0),
    );

    const many = join(dir, 'years.sqlite');
    assert.equal((await runCli(['ingest', '--db', many, ...s.files])).code, 0);
    // Each original thread appears exactly `factor` times, and nothing else does.
    const replayed = shapes(many);
    assert.equal(replayed.length, factor * base.length);
    assert.deepEqual(replayed, base.flatMap((t) => Array.from({ length: factor }, () => t)).sort());
  });

  it('interleaved, joins copies only where argmap infers a parent from content (no header link crosses)', async () => {
    const s = await replayArchive(src, factor, join(dir, 'interleave'), DEFAULT_SHIFT);
    const many = join(dir, 'interleave.sqlite');
    assert.equal((await runCli(['ingest', '--db', many, ...s.files])).code, 0);
    const crossing = rowsOf(many).filter((r) => r.parent !== null && copyOf(r.id) !== copyOf(r.parent));
    // Copies a minute apart are identical in subject, author and text, so a message without
    // threading headers can be placed under the previous copy's twin (the fixture's spam
    // "RE:PERSONAL LETTER" by subject); every header link stays inside its copy.
    for (const r of crossing)
      assert.ok(r.reason !== null && INFERRED_PARENT_REASONS.has(r.reason), JSON.stringify(r));
    assert.ok(crossing.length <= 2 * (factor - 1), `${crossing.length} links cross copies`);
  });
});
