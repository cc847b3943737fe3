// `argmap series` (src/cli/commands/series.ts) in process on the real 2020 memory.reclaim thread
// (one single-patch series). The first test moved here from test/graph/cli.test.ts, unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const ROOT = '20200909215752.1725525-1-shakeelb@google.com';
const archive = cliArchive(fixture('mbox', 'reclaim-2020.mbox'));

describe('argmap series', () => {
  it('series finds the posting from a reply and shows the single version', async () => {
    const r = await run([
      'series',
      '--db',
      archive.file(),
      '--json',
      'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
    ]);
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.postings.length, 1);
    assert.equal(s.postings[0].parts[0].messageId, ROOT);
    assert.match(s.postings[0].parts[0].patchId, /^[0-9a-f]{40}$/);
  });

  it('--help shows examples; a series nothing matches exits 2 and says so', async () => {
    const h = await run(['series', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap series /);
    const r = await run(['series', '--db', archive.file(), 'no such series words']);
    assert.equal(r.code, 2);
    assert.match(r.err, /no series matches "no such series words"/);
  });

  it('prints the series as text, found by words of its title', async () => {
    const r = await run(['series', '--db', archive.file(), 'per-memcg reclaim interface']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /memcg: introduce per-memcg reclaim interface/);
    assert.ok(r.out.includes(ROOT));
  });
});
