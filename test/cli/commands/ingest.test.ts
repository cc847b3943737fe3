// `argmap ingest` (src/cli/commands/ingest.ts) in process on the real throttle-2019 thread (four
// From_ lines) and the 2020 memory.reclaim thread (28): the --json summary, a second run that adds
// nothing, --thread, and misuse. The "no mail source" test moved here from
// test/cli/commands.test.ts, unchanged; the ingest → extract → export flow stays there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli as run } from '../../helpers/cli.ts';
import { fixture, tempDir } from '../../helpers/archive.ts';

const THROTTLE = fixture('mbox', 'throttle-2019.mbox');
const RECLAIM = fixture('mbox', 'reclaim-2020.mbox');

describe('argmap ingest', () => {
  it('--json: what was added per source; a second run finds the source unchanged', async () => {
    const t = tempDir();
    try {
      const db = join(t.dir, 'a.sqlite');
      const r = await run(['ingest', '--json', '--db', db, THROTTLE]);
      assert.equal(r.code, 0, r.err);
      const s = JSON.parse(r.out) as {
        db: string;
        added: number;
        sources: { location: string; kind: string; status: string; added: number }[];
        notSources: string[];
      };
      assert.equal(s.db, db);
      assert.equal(s.added, 4);
      assert.deepEqual(
        s.sources.map((x) => [x.location, x.kind, x.added]),
        [[THROTTLE, 'mbox', 4]],
      );
      assert.deepEqual(s.notSources, []);
      const again = JSON.parse((await run(['ingest', '--json', '--db', db, THROTTLE])).out) as typeof s;
      assert.equal(again.added, 0);
      assert.equal(again.sources[0]!.status, 'unchanged');
    } finally {
      t.cleanup();
    }
  });

  it('--thread keeps only that thread of the sources given', async () => {
    const t = tempDir();
    try {
      const db = join(t.dir, 'a.sqlite');
      const r = await run([
        'ingest',
        '--json',
        '--db',
        db,
        '--thread',
        '20190501184104.GA30293@chrisdown.name',
        THROTTLE,
        RECLAIM,
      ]);
      assert.equal(r.code, 0, r.err);
      assert.equal((JSON.parse(r.out) as { added: number }).added, 4);
    } finally {
      t.cleanup();
    }
  });

  it('prints a text summary per source and in total', async () => {
    const t = tempDir();
    try {
      const r = await run(['ingest', '--db', join(t.dir, 'a.sqlite'), THROTTLE]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^ {2}mbox {11}.*throttle-2019\.mbox: 4 added, 0 already present, 0 duplicates$/m);
      assert.match(r.out, /^4 messages added, 0 already present, 0 duplicates merged$/m);
    } finally {
      t.cleanup();
    }
  });

  it('--help shows examples; no PATH exits 2 and says what to try', async () => {
    const h = await run(['ingest', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap ingest /);
    const t = tempDir();
    try {
      const r = await run(['ingest', '--db', join(t.dir, 'a.sqlite')]);
      assert.equal(r.code, 2);
      assert.match(r.err, /no PATH given\n {2}try: argmap ingest data/);
    } finally {
      t.cleanup();
    }
  });

  it('ingest of a path with no mail source fails with exit 1 and names it', async () => {
    const t = tempDir();
    try {
      const r = await run(['ingest', '--db', join(t.dir, 'a.sqlite'), fixture('INDEX.tsv')]);
      assert.equal(r.code, 1);
      assert.match(r.err, /no mail source found/);
    } finally {
      t.cleanup();
    }
  });
});
