// `argmap serve` (src/cli/commands/serve.ts) in process: its misuse, which exits 2 before a port
// is opened. Serving pages from an archive (--db) is tested in test/site/serve-db.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const archive = cliArchive(fixture('mbox', 'throttle-2019.mbox'));

describe('argmap serve', () => {
  it('--help shows examples', async () => {
    const h = await run(['serve', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap serve/);
  });

  it('a directory with no built site exits 2 and says how to build one', async () => {
    const r = await run(['serve', '--out', join(dirname(archive.file()), 'nosite')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no site in .*nosite\n {2}build one with: argmap build/);
  });

  it('a bad --port exits 2 saying what is allowed', async () => {
    const r = await run(['serve', '--db', archive.file(), '--port', 'abc']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--port must be an integer from 0 to 65535, got "abc"/);
  });
});
