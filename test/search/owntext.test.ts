// Own text for display and search agrees paragraph by paragraph with the decision-record checker
// (src/decisions/paragraphs.ts; both rest on the graph's segmenter, docs/decisions.md §3.2) over
// every message of the bundled data, so `#pN` means the same paragraph on the site and in records;
// and the line kinds the site shows keep quotes, patch, signature and trailers out of own text.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { classify, ownParagraphs, ownText } from '../../src/search/owntext.ts';
import { ownParagraphs as checkerParagraphs } from '../../src/decisions/paragraphs.ts';
import { bundledDb } from '../site/bundled.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await bundledDb());
});
after(() => cleanup());

describe('own text', () => {
  it('numbers paragraphs exactly as the record checker does, for every bundled message', () => {
    const rows = db.prepare('SELECT message_id AS id, body FROM messages WHERE is_ghost = 0').all() as {
      id: string;
      body: string | null;
    }[];
    assert.ok(rows.length > 900);
    let paras = 0;
    for (const r of rows) {
      const mine = ownParagraphs(r.body ?? '');
      const theirs = checkerParagraphs(r.body ?? '').map((p) => p.text);
      assert.deepEqual(mine, theirs, r.id);
      paras += mine.length;
    }
    assert.ok(paras > 3000); // the bundled data has about 3,700 own-text paragraphs
  });

  it('leaves quotes, the patch and the signature out of own text', () => {
    const body = [
      'On Tue, Sep 22, 2020 at 9:55 AM Michal Hocko <mhocko@suse.com> wrote:',
      "> isn't this an implementation detail of zswap?",
      '',
      'It is not.',
      'Acked-by: Someone <s@example.com>',
      '',
      '---',
      ' mm/memcontrol.c | 2 +-',
      ' 1 file changed, 1 insertion(+), 1 deletion(-)',
      'diff --git a/mm/memcontrol.c b/mm/memcontrol.c',
      '+zswap',
      '-- ',
      '2.28.0',
    ].join('\n');
    assert.equal(ownText(body), 'It is not.');
    const kinds = classify(body).map((l) => l.kind);
    assert.deepEqual(kinds.slice(0, 5), ['attribution', 'quote', 'blank', 'own', 'trailer']);
    assert.ok(kinds.slice(6).every((k) => k === 'patch'));
  });

  it('cuts a signature that is not followed by a patch', () => {
    assert.equal(ownText('Thanks.\n\n-- \nMichal Hocko\nSUSE Labs'), 'Thanks.');
  });
});
