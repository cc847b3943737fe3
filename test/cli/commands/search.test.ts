// `argmap search` (src/cli/commands/search.ts) in process on the throttle-2019 thread: the --json
// answer's shape, --limit, and misuse. What queries match and how they rank is tested in
// test/search/fts.test.ts (through this command) and the other test/search/ files.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const archive = cliArchive(fixture('mbox', 'throttle-2019.mbox'));

describe('argmap search', () => {
  it('--json: the query, its parse, the total and one result per message', async () => {
    // every one of the four mails has "allocators" in its subject
    const r = await run(['search', '--db', archive.file(), '--json', 's:allocators']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as {
      query: string;
      parsed: { clauses: unknown[] };
      total: number;
      errors: string[];
      results: { messageId: string; url: string }[];
    };
    assert.equal(j.query, 's:allocators');
    assert.equal(j.parsed.clauses.length, 1);
    assert.equal(j.total, 4);
    assert.deepEqual(j.errors, []);
    assert.deepEqual(j.results.map((x) => x.messageId).sort(), [
      '20190501184104.GA30293@chrisdown.name',
      '20190507084419.GM31017@dhcp22.suse.cz',
      '20190723180700.GA29459@chrisdown.name',
      '20190723205026.GB30522@cmpxchg.org',
    ]);
    const two = JSON.parse(
      (await run(['search', '--db', archive.file(), '--json', '--limit', '2', 's:allocators'])).out,
    ) as typeof j;
    assert.equal(two.results.length, 2);
    assert.equal(two.total, 4, '--limit cuts the list, not the count');
  });

  it('--help shows examples; no query, a bad --limit or a missing archive exit 2 saying what to do', async () => {
    const h = await run(['search', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap search /);
    const none = await run(['search', '--db', archive.file()]);
    assert.equal(none.code, 2);
    assert.match(none.err, /no query given\n {2}example: argmap search zswap f:shakeel/);
    const lim = await run(['search', '--db', archive.file(), '--limit', '0', 'zswap']);
    assert.equal(lim.code, 2);
    assert.match(lim.err, /--limit must be an integer from 1 to 10000, got "0"/);
    const missing = await run(['search', '--db', join(dirname(archive.file()), 'none.sqlite'), 'zswap']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no archive at .*none\.sqlite/);
  });
});
