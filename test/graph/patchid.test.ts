// patch-id in process, checked against real `git patch-id --stable` on real patches from the
// corpus (git computes the expected value; it is installed wherever the tests run).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fixture, rows, ingestedDb } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import { patchId } from '../../src/graph/patchid.ts';

function gitPatchId(text: string): string | null {
  const out = execFileSync('git', ['patch-id', '--stable'], { input: text }).toString().trim();
  return out ? out.split(/\s+/)[0]! : null;
}

let db: Db;
let cleanup: () => void;
let patches: { message_id: string; body: string }[];
before(async () => {
  ({ db, cleanup } = await ingestedDb(['data/corpus/threads', fixture('graph', 'nack-2019.mbox')]));
  patches = rows(db, "SELECT message_id, body FROM messages WHERE body LIKE '%diff --git%' ORDER BY id");
});
after(() => cleanup());

describe('patch-id like git patch-id --stable', () => {
  it('matches git on every corpus message that carries a diff (and on quoted diffs, where both give none)', () => {
    assert.ok(patches.length >= 15, `${patches.length} messages with diffs`);
    let withId = 0;
    for (const p of patches) {
      const expected = gitPatchId(p.body);
      assert.equal(patchId(p.body), expected, p.message_id);
      if (expected) withId++;
    }
    assert.ok(withId >= 8, `${withId} real patches`);
  });

  it('ignores CRLF line ends and a missing final newline, as git does', () => {
    const p = patches.find((x) => x.message_id === '20221202223533.1785418-1-almasrymina@google.com')!;
    const crlf = p.body.replace(/\n/g, '\r\n');
    assert.equal(patchId(crlf), gitPatchId(crlf));
    assert.equal(patchId(crlf), patchId(p.body));
    const cut = p.body.replace(/\n+$/, '');
    assert.equal(patchId(cut), gitPatchId(cut));
  });

  it('is stable under file order (a real multi-file patch, files reversed)', () => {
    // a patch whose diff survived the mail intact: no blank line inside it (a mangled empty
    // context line makes git read the next file as part of the hunk, in either order)
    const p = patches.find((x) => {
      const d = x.body.slice(x.body.indexOf('diff --git '));
      const end = d.search(/\n--\s?\n/);
      const files = d.split(/(?=^diff --git )/m).length;
      return x.body.includes('\ndiff --git ') && files >= 2 && !/\n\n/.test(end >= 0 ? d.slice(0, end) : d);
    })!;
    assert.ok(p, 'a clean multi-file patch in the corpus');
    const at = p.body.indexOf('diff --git ');
    const files = p.body.slice(at).split(/(?=^diff --git )/m);
    const last = files.length - 1;
    const sig = files[last]!.search(/\n--\s?\n/);
    const tail = sig >= 0 ? files[last]!.slice(sig + 1) : '';
    if (sig >= 0) files[last] = files[last]!.slice(0, sig + 1);
    const reordered = p.body.slice(0, at) + [...files].reverse().join('') + tail;
    assert.notEqual(reordered, p.body);
    assert.equal(
      gitPatchId(reordered),
      gitPatchId(p.body),
      `git agrees the order does not matter (${p.message_id})`,
    );
    assert.equal(patchId(reordered), patchId(p.body));
  });

  it('gives null for text without a diff', () => {
    assert.equal(
      patchId('Introduce an memcg interface to trigger memory reclaim on a memory cgroup.\n'),
      null,
    );
  });
});
