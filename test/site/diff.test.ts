// Patches and line diffs on the site (src/site/diff.ts). The golden patch is Shakeel Butt's 2020
// memory.reclaim patch (reclaim-2020.mbox, message 1): git's own diffstat in the mail says
// "cgroup-v2.rst | 9 ++++++", "memcontrol.c | 37 +++…", "2 files changed, 46 insertions(+)".
// The line diff is held against a naive longest-common-subsequence table.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture } from '../helpers/archive.ts';
import { bodyOf } from '../helpers/mail.ts';
import { assertGolden } from '../helpers/golden.ts';
import {
  diffLineKinds,
  filesTouched,
  lineDiff,
  MAX_INTERDIFF_LINES,
  renderLineDiff,
  renderPatch,
} from '../../src/site/diff.ts';

let lines: string[];
before(async () => {
  const body = await bodyOf(
    fixture('mbox', 'reclaim-2020.mbox'),
    '20200909215752.1725525-1-shakeelb@google.com',
  );
  lines = body.split('\n');
});

/** Length of the longest common subsequence, by the textbook table. */
function lcs(a: string[], b: string[]): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      t[i]![j] = a[i - 1] === b[j - 1] ? t[i - 1]![j - 1]! + 1 : Math.max(t[i - 1]![j]!, t[i]![j - 1]!);
  return t[a.length]![b.length]!;
}

describe('a real patch', () => {
  it('touches the two files of the diffstat, with its counts', () => {
    assert.deepEqual(filesTouched(lines), [
      { path: 'Documentation/admin-guide/cgroup-v2.rst', added: 9, removed: 0 },
      { path: 'mm/memcontrol.c', added: 37, removed: 0 },
    ]);
  });

  it('classes the change log as text, headers as meta, and the signature after the diff as text', () => {
    const k = diffLineKinds(lines);
    assert.equal(k.length, lines.length);
    const kindOf = (first: string): string => k[lines.findIndex((l) => l.startsWith(first))]!;
    const want: [string, string][] = [
      ['Introduce an memcg interface', 'text'],
      [' 2 files changed', 'text'],
      ['diff --git a/mm/memcontrol.c', 'file'],
      ['--- a/mm/memcontrol.c', 'meta'],
      ['+++ b/mm/memcontrol.c', 'meta'],
      ['@@ -6456,6 +6456,38 @@', 'hunk'],
      ['-- ', 'text'],
    ];
    assertGolden(want, kindOf);
    assert.equal(k.filter((x) => x === 'add').length, 46);
    assert.equal(k.filter((x) => x === 'del').length, 0);
    assert.equal(k.filter((x) => x === 'file').length, 2);
  });

  it('renders the file list with anchors to each file and the totals', () => {
    const h = String(renderPatch(lines, 'm1'));
    assert.match(h, /2 files changed/);
    assert.match(h, /<span class="n-add">\+46<\/span>/);
    assert.match(h, /<a href="#m1-f1"><code>Documentation\/admin-guide\/cgroup-v2.rst<\/code><\/a>/);
    assert.match(h, /<span class="dl file" id="m1-f2">diff --git a\/mm\/memcontrol.c/);
    // one span per line, none empty (an empty span would collapse the line)
    assert.equal(h.match(/<span class="dl /g)!.length, lines.length);
    assert.doesNotMatch(h, /<span class="dl [a-z]+"><\/span>/);
  });

  it('escapes the patch text', () => {
    const h = String(renderPatch(['diff --git a/x b/x', '@@ -1 +1 @@', '+<script>alert(1)</script>'], 'p'));
    assert.doesNotMatch(h, /<script>/);
    assert.match(h, /&lt;script&gt;/);
  });

  it('lists no files for text without a diff', () => {
    assert.deepEqual(filesTouched(['Hello,', '-- ', 'a signature']), []);
    assert.doesNotMatch(String(renderPatch(['just text'], 'p')), /files changed|file changed/);
  });
});

describe('line diff', () => {
  const line = fc.constantFrom('a', 'b', 'c', 'd', '', '+x');
  it('is a minimal edit script that turns a into b', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), fc.array(line, { maxLength: 30 }), (a, b) => {
        const ops = lineDiff(a, b)!;
        assert.deepEqual(
          ops.filter((o) => o.op !== '+').map((o) => o.line),
          a,
        );
        assert.deepEqual(
          ops.filter((o) => o.op !== '-').map((o) => o.line),
          b,
        );
        assert.equal(ops.filter((o) => o.op !== ' ').length, a.length + b.length - 2 * lcs(a, b));
      }),
      { numRuns: 300 },
    );
  });

  it('diffs the patch against itself with one line changed', () => {
    const b = lines.map((l) => (l === '+\treturn nbytes;' ? '+\treturn err ? err : nbytes;' : l));
    assert.notDeepEqual(b, lines, 'the patch has the line');
    const ops = lineDiff(lines, b)!;
    assert.deepEqual(
      ops.filter((o) => o.op !== ' '),
      [
        { op: '-', line: '+\treturn nbytes;' },
        { op: '+', line: '+\treturn err ? err : nbytes;' },
      ],
    );
    const h = String(renderLineDiff(ops, 1));
    assert.equal(h.match(/class="dl ctx"/g)!.length, 2, 'one line of context each side');
    assert.match(h, /… \d+ unchanged lines …/);
    assert.equal(String(renderLineDiff(lineDiff(lines, lines)!)), '<p class="muted">No differences.</p>');
  });

  it('gives up on inputs over the limit or too far apart', () => {
    const big = new Array<string>(MAX_INTERDIFF_LINES + 1).fill('x');
    assert.equal(lineDiff(big, ['x']), null);
    assert.equal(lineDiff(['x'], big), null);
    assert.notEqual(lineDiff(big.slice(1), big.slice(1)), null);
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`);
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`);
    assert.equal(lineDiff(a, b, 99), null);
    assert.equal(lineDiff(a, b, 100)!.length, 100);
  });
});
