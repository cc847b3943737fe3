// The held-out stance label files stay usable: every paragraph row still finds its paragraph in
// the bundled archive with the same 60-character prefix, and every stance is in the vocabulary.
// (A change to the paragraph rule that shifted paragraphs would silently drop rows from the
// scores docs/stance-evaluation.md reports.)
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../src/graph/eval.ts';
import { STANCES } from '../../src/graph/stance.ts';
import { stanceLabels } from '../../src/graph/eval.ts';
import type { Db } from '../../src/store/db.ts';
import { bundledDb } from '../site/bundled.ts';

let db: Db;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await bundledDb());
});
after(() => cleanup());

for (const [file, paragraphs] of [
  ['data/labels/stance-heldout-2.tsv', 146],
  ['data/labels/stance-heldout-3.tsv', 195],
  ['data/labels/stance-heldout-4.tsv', 146],
] as const) {
  it(`${file}: ${paragraphs} paragraphs, all aligned, all stances known`, () => {
    const r = evaluate(db, undefined, { labels: file, split: 'all' });
    assert.equal(r.paragraphs.all.rows, paragraphs);
    assert.deepEqual(r.alignment.missing, []);
    // Only trailer rows may miss: long Fixes: lines, one of them wrapped (docs/labelling.md).
    assert.deepEqual(
      r.alignment.prefixMismatch.filter((k) => !k.endsWith('#t')),
      [],
    );
    assert.ok(r.alignment.prefixMismatch.length <= 2, r.alignment.prefixMismatch.join(' '));
    for (const l of stanceLabels(undefined, file))
      assert.ok((STANCES as readonly string[]).includes(l.stance), l.stance);
  });
}
