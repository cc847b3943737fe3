// `argmap extract` (src/cli/commands/extract.ts) in process on the test mboxes: a thread by root
// (byte for byte, as test/cli/commands.test.ts also checks in its flow), roots from a TSV, a root
// not found (exit 1, named), and misuse (exit 2).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from '../../helpers/cli.ts';
import { fixture, tempDir } from '../../helpers/archive.ts';

const ROOT = '20200909215752.1725525-1-shakeelb@google.com';
let t: { dir: string; cleanup: () => void };
before(() => {
  t = tempDir();
});
after(() => t.cleanup());

describe('argmap extract', () => {
  it('--roots FILE: the threads of the TSV first column, --json says how many were written', async () => {
    const roots = join(t.dir, 'roots.tsv');
    writeFileSync(roots, `${ROOT}\tmemory.reclaim 2020\n`);
    const out = join(t.dir, 'r.mbox');
    const r = await run(['extract', '--json', '--roots', roots, '--out', out, fixture('mbox')]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out), {
      roots: 1,
      rootsMissing: [],
      threadIds: 28,
      written: 28,
      duplicatesSkipped: 0,
      out,
    });
    assert.ok(readFileSync(out).equals(readFileSync(fixture('mbox', 'reclaim-2020.mbox'))));
  });

  it('names a root it did not find and exits 1', async () => {
    const r = await run([
      'extract',
      '--json',
      '--thread',
      'nobody@example.org',
      '--out',
      join(t.dir, 'none.mbox'),
      fixture('mbox', 'reclaim-2020.mbox'),
    ]);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.out) as { rootsMissing: string[]; written: number };
    assert.deepEqual([j.rootsMissing, j.written], [['nobody@example.org'], 0]);
  });

  it('--help shows examples; no roots exits 2 and says what to give', async () => {
    const h = await run(['extract', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap extract /);
    const r = await run(['extract', '--out', join(t.dir, 'x.mbox'), fixture('mbox', 'reclaim-2020.mbox')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no roots: give --roots FILE or --thread MSGID/);
  });
});
