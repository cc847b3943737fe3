// `argmap claims` (src/cli/commands/claims.ts) in process on the real 2020 memory.reclaim thread.
// The first two tests moved here from test/graph/cli.test.ts, unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const ROOT = '20200909215752.1725525-1-shakeelb@google.com';
const archive = cliArchive(fixture('mbox', 'reclaim-2020.mbox'));

describe('argmap claims', () => {
  it('claims filters by stance and author, and refuses unknown values', async () => {
    const r = await run([
      'claims',
      '--db',
      archive.file(),
      '--json',
      '--stance',
      'asks',
      '--author',
      'hocko',
    ]);
    const list = JSON.parse(r.out);
    assert.ok(list.length > 0);
    for (const c of list) {
      assert.equal(c.stance, 'asks');
      assert.equal(c.author, 'Michal Hocko');
    }
    const bad = await run(['claims', '--db', archive.file(), '--stance', 'agrees']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown stance "agrees"/);
  });

  it('claims --min-confidence keeps only claims at least that sure; unsure stances print their runner-up', async () => {
    const all = JSON.parse(
      (await run(['claims', '--db', archive.file(), '--limit', '5000', '--json'])).out,
    ) as {
      confidence: number;
      altStance: string | null;
      altP: number | null;
      kind: string;
      stanceSource: string;
    }[];
    const sure = JSON.parse(
      (await run(['claims', '--db', archive.file(), '--limit', '5000', '--min-confidence', '0.9', '--json']))
        .out,
    ) as { confidence: number }[];
    assert.ok(sure.length > 0 && sure.length < all.length, `${sure.length} of ${all.length}`);
    assert.ok(sure.every((c) => c.confidence >= 0.9));
    assert.equal(sure.length, all.filter((c) => c.confidence >= 0.9).length);
    // the model's runner-up is stored for the paragraphs it decided, never for trailers; a paragraph
    // a decision record classifies is curated (sure, no runner-up)
    const model = all.filter((c) => c.stanceSource === 'model');
    assert.ok(model.length > 100, `${model.length} model stances`);
    // (a record that agrees with the model confirms it: sure, no runner-up)
    assert.ok(
      model.every(
        (c) => c.kind === 'para' && (c.altStance !== null ? c.altP! <= c.confidence : c.confidence === 1),
      ),
    );
    assert.ok(model.filter((c) => c.altStance !== null).length > 100);
    assert.ok(
      all.filter((c) => c.stanceSource === 'record').every((c) => c.altStance === null && c.confidence === 1),
    );
    assert.ok(all.filter((c) => c.kind === 'trailer').every((c) => c.altStance === null));
    // a thread no label file covers has paragraphs the model is unsure of (the labelled ones it learnt)
    const nack = join(dirname(archive.file()), 'nack.sqlite');
    assert.equal((await run(['ingest', '--db', nack, fixture('graph', 'nack-2019.mbox')])).code, 0);
    const nackAll = JSON.parse(
      (await run(['claims', '--db', nack, '--limit', '5000', '--json'])).out,
    ) as typeof all;
    const unsure = nackAll.filter((c) => c.altStance !== null && c.confidence < 0.5).length;
    const text = (await run(['claims', '--db', nack, '--limit', '5000'])).out;
    assert.equal((text.match(/^ {4}[a-z-]+\? \(0\.\d\d\) or [a-z-]+ 0\.\d\d/gm) ?? []).length, unsure);
    assert.ok(unsure > 0);
    const bad = await run(['claims', '--db', archive.file(), '--min-confidence', '2']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--min-confidence must be a number from 0 to 1/);
  });

  it('--help shows examples; a bad --limit exits 2 saying what is allowed', async () => {
    const h = await run(['claims', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap claims /);
    const bad = await run(['claims', '--db', archive.file(), '--limit', 'x']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--limit must be an integer from 1 to 1000000, got "x"/);
  });

  it('--limit and --thread narrow the list', async () => {
    const two = JSON.parse(
      (await run(['claims', '--db', archive.file(), '--json', '--limit', '2'])).out,
    ) as unknown[];
    assert.equal(two.length, 2);
    const inThread = JSON.parse(
      (await run(['claims', '--db', archive.file(), '--json', '--limit', '5000', '--thread', ROOT])).out,
    ) as unknown[];
    const all = JSON.parse(
      (await run(['claims', '--db', archive.file(), '--json', '--limit', '5000'])).out,
    ) as unknown[];
    assert.equal(inThread.length, all.length, 'the archive is this one thread');
  });
});
