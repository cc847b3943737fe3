// `argmap start` (src/cli/commands/start.ts) in process, without serving: a data directory that
// does not exist is a user error before anything is created, and a data set the decision records
// do not match stops at the build with what to do. (The full bundled run is npm start's.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from '../../helpers/cli.ts';
import { fixture, tempDir } from '../../helpers/archive.ts';

let t: { dir: string; cleanup: () => void };
before(() => {
  t = tempDir();
});
after(() => t.cleanup());

describe('argmap start', () => {
  it('--help shows examples', async () => {
    const h = await run(['start', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap start/);
  });

  it('a --data directory that does not exist exits 2 and creates no archive', async () => {
    // it used to create the archive, ingest nothing and fail at the build with exit 1
    const db = join(t.dir, 'none.sqlite');
    const r = await run([
      'start',
      '--no-serve',
      '--db',
      db,
      '--out',
      join(t.dir, 'site'),
      '--data',
      join(t.dir, 'nope'),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no data directory .*nope\n {2}give --data DIR/);
    assert.equal(existsSync(db), false);
  });

  it('ingests the data, then stops at the build when the records cite mail it lacks', async () => {
    const data = join(t.dir, 'data');
    mkdirSync(data);
    copyFileSync(fixture('mbox', 'throttle-2019.mbox'), join(data, 'throttle-2019.mbox'));
    const db = join(t.dir, 'a.sqlite');
    const r = await run(['start', '--no-serve', '--db', db, '--out', join(t.dir, 'site'), '--data', data]);
    assert.equal(r.code, 1);
    assert.match(r.err, /^ingesting .*data into .*a\.sqlite$/m);
    assert.match(r.out, /The archive holds 4 messages in \d+ threads, 0 commits\./);
    assert.match(r.err, /decision records do not check out \(\d+ problems\); fix them or run argmap check/);
  });
});
