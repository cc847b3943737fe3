// `argmap stats` and `argmap problems` (src/cli/commands/stats.ts) in process on the 2020
// memory.reclaim thread (28 From_ lines) and the oddities mbox (17 From_ lines, one message
// delivered twice, one reused Message-ID, one charset="y": test/fixtures/mbox/oddities.tsv).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const RECLAIM = fixture('mbox', 'reclaim-2020.mbox');
const ODD = fixture('mbox', 'oddities.mbox');
const archive = cliArchive(RECLAIM, ODD);

describe('argmap stats', () => {
  it('--json: counts, dates, sources and largest threads', async () => {
    const r = await run(['stats', '--db', archive.file(), '--json']);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out) as {
      messages: number;
      problems: { skipped: number; warnings: number };
      sources: { kind: string; location: string; status: string; messages: number }[];
      largestThreads: { id: number; subject: string; messages: number }[];
      firstDate: string;
    };
    assert.deepEqual(Object.keys(s).sort(), [
      'commits',
      'documents',
      'firstDate',
      'ghosts',
      'largestThreads',
      'lastDate',
      'messages',
      'people',
      'problems',
      'sources',
      'threads',
    ]);
    assert.equal(s.messages, 28 + 16, 'the twice-delivered message is stored once');
    assert.deepEqual(s.problems, { skipped: 0, warnings: 2 });
    assert.deepEqual(
      s.sources.map((x) => [x.kind, x.location, x.status, x.messages]),
      [
        ['mbox', RECLAIM, 'complete', 28],
        ['mbox', ODD, 'complete', 17],
      ],
    );
    assert.deepEqual(s.largestThreads[0], {
      id: s.largestThreads[0]!.id,
      subject: '[PATCH] memcg: introduce per-memcg reclaim interface',
      messages: 28,
    });
  });

  it('prints a text summary pointing at argmap problems', async () => {
    const r = await run(['stats', '--db', archive.file()]);
    assert.equal(r.code, 0);
    assert.match(
      r.out,
      /^44 messages \(\d+ referenced but missing\) in \d+ threads, 2019-\d\d-\d\d to 20\d\d-\d\d-\d\d\n/,
    );
    assert.match(r.out, /problems: 0 skipped, 2 warnings \(argmap problems\)/);
    assert.match(
      r.out,
      /^ {5}28 {2}\[PATCH\] memcg: introduce per-memcg reclaim interface {2}\[thread \d+\]$/m,
    );
  });

  it('--help shows examples; a missing archive exits 2 and says how to make one', async () => {
    const h = await run(['stats', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap stats/);
    const r = await run(['stats', '--db', join(dirname(archive.file()), 'none.sqlite')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no archive at .*none\.sqlite\n {2}create one with: argmap ingest/);
  });
});

describe('argmap problems', () => {
  it('--json lists each problem with where it came from; --code narrows it', async () => {
    const all = JSON.parse((await run(['problems', '--db', archive.file(), '--json'])).out) as {
      code: string;
      source: string;
    }[];
    assert.deepEqual(all.map((p) => p.code).sort(), ['reused-message-id', 'unknown-charset']);
    assert.ok(all.every((p) => p.source === ODD));
    const one = JSON.parse(
      (await run(['problems', '--db', archive.file(), '--json', '--code', 'unknown-charset'])).out,
    ) as {
      detail: string;
    }[];
    assert.deepEqual(
      one.map((p) => p.detail),
      ['unknown charset "y"; decoded as best effort'],
    );
  });

  it('prints text, and --help shows examples', async () => {
    const r = await run(['problems', '--db', archive.file()]);
    assert.equal(r.code, 0);
    assert.match(r.out, /unknown-charset/);
    assert.match(r.out, /oddities\.mbox/);
    const h = await run(['problems', '--help']);
    assert.match(h.out, /Examples:\n {2}argmap problems/);
  });
});
