// `argmap thread` (src/cli/commands/thread.ts) in process on the real 2020 memory.reclaim thread
// (28 messages). The first two tests moved here from test/graph/cli.test.ts, unchanged.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cliArchive, runCli as run } from '../../helpers/cli.ts';
import { fixture } from '../../helpers/archive.ts';

const ROOT = '20200909215752.1725525-1-shakeelb@google.com';
const archive = cliArchive(fixture('mbox', 'reclaim-2020.mbox'));

describe('argmap thread', () => {
  it('thread --json: 28 messages in reply order, segments with resolved quotes, claims with stances', async () => {
    const r = await run(['thread', '--db', archive.file(), '--json', ROOT]);
    assert.equal(r.code, 0, r.err);
    const v = JSON.parse(r.out);
    assert.equal(v.messages.length, 28);
    assert.equal(v.messages[0].messageId, ROOT);
    assert.equal(v.messages[0].depth, 0);
    const seed = v.messages.find((m: { messageId: string }) => m.messageId.startsWith('CALvZod7K9g9mi599c5'));
    assert.ok(seed.depth > 3);
    const q = seed.segments.find(
      (s: { kind: string; text: string }) => s.kind === 'quote' && /Understood\. But isn't this/.test(s.text),
    );
    assert.equal(q.source.messageId, '20200922114908.GZ12990@dhcp22.suse.cz');
    assert.equal(q.source.para, 4);
    assert.equal(seed.claims[0].key, `${seed.messageId}#p1`);
  });

  it('thread (text) indents replies and shows stance and status', async () => {
    const r = await run(['thread', '--db', archive.file(), ROOT]);
    assert.equal(r.code, 0);
    assert.match(r.out, /^thread \d+: \[PATCH\] memcg: introduce per-memcg reclaim interface — 28 messages/);
    assert.match(r.out, /\n {2}● 2020-09-10 .* SeongJae Park/);
    assert.match(r.out, /p20 proposes: Introducing a very simple memcg interface/);
  });

  it('--help shows examples; a missing or unknown thread and a bad --width exit 2 saying what to do', async () => {
    const h = await run(['thread', '--help']);
    assert.equal(h.code, 0);
    assert.match(h.out, /Examples:\n {2}argmap thread /);
    const none = await run(['thread', '--db', archive.file()]);
    assert.equal(none.code, 2);
    assert.match(none.err, /say which thread: a thread id or a Message-ID\n {2}example: argmap thread /);
    const unknown = await run(['thread', '--db', archive.file(), 'nobody@example.org']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no thread or message "nobody@example.org" in the archive/);
    // --width abc used to fall back to 110 silently
    const w = await run(['thread', '--db', archive.file(), '--width', 'abc', ROOT]);
    assert.equal(w.code, 2);
    assert.match(w.err, /--width must be an integer/);
    assert.equal(w.out, '');
  });

  it('--width cuts claim text to that many characters', async () => {
    const r = await run(['thread', '--db', archive.file(), '--width', '40', ROOT]);
    assert.equal(r.code, 0, r.err);
    const p1 = r.out.split('\n').find((l) => /^ {2}p1 proposes: /.test(l))!;
    // "  p1 proposes: " then 39 characters and an ellipsis
    assert.equal(p1, '  p1 proposes: Introduce an memcg interface to trigger…');
  });
});
