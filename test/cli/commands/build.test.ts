// `argmap build` (src/cli/commands/build.ts) in process on an archive of the 2020 memory.reclaim
// thread: the site without decision pages (--json), the refusal to build when the decision records
// cite mail the archive lacks, and misuse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const archive = cliArchive(fixture('mbox', 'reclaim-2020.mbox'));

const countFiles = (dir: string): number =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

describe('argmap build', () => {
  it('--no-decisions --json: writes the site and says how many files it wrote', async () => {
    const out = join(dirname(archive.file()), 'site');
    const r = await run(['build', '--db', archive.file(), '--no-decisions', '--out', out, '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { files: number; bytes: number; seconds: number; out: string };
    assert.deepEqual(Object.keys(j).sort(), ['bytes', 'files', 'out', 'seconds']);
    assert.equal(j.out, out);
    assert.equal(j.files, countFiles(out));
    assert.ok(existsSync(join(out, 'index.html')));
  });

  it('refuses to build when the records cite mail the archive lacks, and says what to do', async () => {
    const r = await run(['build', '--db', archive.file(), '--out', join(dirname(archive.file()), 'site2')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /decision records do not check out \(\d+ problems\); fix them or run argmap check/);
    assert.match(r.err, /memory-high-async-reclaim\.md:\d+: /);
  });

  it('--help shows examples; a missing archive exits 2 and says how to make one', async () => {
    const h = await run(['build', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap build/);
    const r = await run(['build', '--db', join(dirname(archive.file()), 'none.sqlite')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no archive at .*none\.sqlite\n {2}create one with: argmap ingest/);
  });
});
