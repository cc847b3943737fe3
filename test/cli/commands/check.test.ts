// `argmap check` (src/cli/commands/check.ts) in process: the bundled decision records against an
// archive that holds only the 2020 memory.reclaim thread (so the records' other citations fail,
// each with its file and line), and misuse.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const archive = cliArchive(fixture('mbox', 'reclaim-2020.mbox'));

describe('argmap check', () => {
  it('--json: counts and one problem per failed citation, with file and line; exit 1', async () => {
    const r = await run(['check', '--db', archive.file(), '--json']);
    assert.equal(r.code, 1);
    const c = JSON.parse(r.out) as {
      ok: boolean;
      counts: { records: number; citations: number };
      problems: { file: string; line: number; reason: string }[];
    };
    assert.equal(c.ok, false);
    assert.equal(c.counts.records, readdirSync('data/decisions').filter((f) => f.endsWith('.md')).length);
    assert.ok(c.problems.length > 0);
    for (const p of c.problems) {
      assert.match(p.file, /^data\/decisions\/[^/]+\.md$/);
      assert.ok(Number.isInteger(p.line) && p.line >= 1);
    }
    // the async memory.high thread of 2020 is not in this archive
    assert.ok(
      c.problems.some(
        (p) => p.reason === 'messages: no message 20200219181219.54356-1-hannes@cmpxchg.org in the archive',
      ),
    );
  });

  it('prints FILE:LINE: reason in text', async () => {
    const r = await run(['check', '--db', archive.file()]);
    assert.equal(r.code, 1);
    assert.match(`${r.out}${r.err}`, /^data\/decisions\/[^:]+\.md:\d+: /m);
  });

  it('--help shows examples; a missing decisions directory exits 2', async () => {
    const h = await run(['check', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap check/);
    const r = await run([
      'check',
      '--db',
      archive.file(),
      '--decisions',
      join(dirname(archive.file()), 'none'),
    ]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no decisions directory .*none/);
  });
});
