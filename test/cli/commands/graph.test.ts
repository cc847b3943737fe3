// `argmap graph` (src/cli/commands/graph.ts) run in process on an archive of the real 2020
// memory.reclaim thread (one thread, 28 messages, one single-patch series, no commits): `graph
// build` reports what the archive then holds, and every misuse exits 2 saying what to do. The
// training and evaluation reports are covered with real labels in test/graph/train.test.ts and
// test/graph/eval.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir, row } from '../../helpers/archive.ts';
import { runCli } from '../../helpers/cli.ts';
import { RECLAIM_MBOX } from '../../helpers/fixture-ids.ts';
import { openDb } from '../../../src/store/db.ts';
import { TRAIN_LABELS } from '../../../src/cli/commands/graph.ts';

const t = tempDir();
const file = join(t.dir, 'g.sqlite');
before(async () => {
  const r = await runCli(['ingest', '--db', file, RECLAIM_MBOX]);
  assert.equal(r.code, 0, r.err);
});
after(() => t.cleanup());

const count = (table: string): number => {
  const db = openDb(file, { readonly: true });
  try {
    return row<{ n: number }>(db, `SELECT count(*) AS n FROM ${table}`).n;
  } finally {
    db.close();
  }
};

describe('graph build', () => {
  it('rebuilds and reports the archive it leaves', async () => {
    const r = await runCli(['graph', 'build', '--db', file]);
    assert.equal(r.code, 0, r.err);
    const m =
      /^1 threads, 28 messages: (\d+) segments, (\d+) claims, (\d+) edges; 1 series; 0 commit links; [\d.]+ s\n$/.exec(
        r.out,
      );
    assert.ok(m, r.out);
    assert.deepEqual([Number(m[2]), Number(m[3])], [count('claim_rows'), count('edges')]);
  });

  it('prints the same build as JSON', async () => {
    const r = await runCli(['graph', 'build', '--db', file, '--json']);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out) as { full: boolean; threads: number; messages: number; claims: number };
    assert.deepEqual([s.full, s.threads, s.messages, s.claims], [true, 1, 28, count('claim_rows')]);
  });

  it('refuses an archive that does not exist, creating nothing', async () => {
    const missing = join(t.dir, 'nope.sqlite');
    const r = await runCli(['graph', 'build', '--db', missing]);
    assert.notEqual(r.code, 0);
    assert.equal(existsSync(missing), false);
  });
});

describe('misuse', () => {
  const cases: [string, string[], RegExp][] = [
    ['no subcommand', ['graph'], /say graph build, graph eval or graph train/],
    ['an unknown subcommand', ['graph', 'rebuild'], /say graph build, graph eval or graph train/],
    [
      'a bad --split',
      ['graph', 'eval', '--db', file, '--split', 'some'],
      /--split must be threads or all, not some/,
    ],
    [
      'a bad --use',
      ['graph', 'eval', '--db', file, '--use', 'oracle'],
      /--use must be rules or model, not oracle/,
    ],
    [
      'a missing label file',
      ['graph', 'eval', '--db', file, '--labels', 'nope.tsv'],
      /no such label file: .*nope\.tsv/,
    ],
    [
      'a missing lifecycle file',
      ['graph', 'eval', '--db', file, '--lifecycle', 'nope.tsv'],
      /no such label file/,
    ],
    [
      'too few folds',
      ['graph', 'train', '--db', file, '--folds', '1', '--dry-run'],
      /--folds must be an integer >= 2, not 1/,
    ],
    [
      'fractional folds',
      ['graph', 'train', '--db', file, '--folds', '2.5', '--dry-run'],
      /--folds must be an integer >= 2/,
    ],
  ];
  for (const [what, argv, why] of cases)
    it(`exits 2 on ${what}`, async () => {
      const r = await runCli(argv, t.dir);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, why);
    });
});

describe('the training set', () => {
  it('names label files that exist, and never a blind set', () => {
    const root = resolve(import.meta.dirname, '..', '..', '..');
    for (const f of TRAIN_LABELS) {
      assert.ok(existsSync(join(root, f)), f);
      assert.doesNotMatch(f, /blind/);
    }
  });
});
