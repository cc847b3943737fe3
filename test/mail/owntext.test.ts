// The own-text module's two views agree paragraph by paragraph over every message of the bundled
// data: the line view the site and search use (classify, ownParagraphTexts) and the span view that
// claims and decision-record citations use (ownParagraphs), so `#pN` means the same paragraph on
// the site, in the graph and in records; and the line kinds keep quotes, patch, signature and
// trailers out of own text.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  classify,
  normalizeSpace,
  ownParagraphs,
  ownParagraphTexts,
  ownText,
} from '../../src/mail/owntext.ts';
import fc from 'fast-check';
import { bundledDb } from '../site/bundled.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await bundledDb());
});
after(() => cleanup());

describe('own text', () => {
  it('numbers paragraphs the same in the line view and the span view, for every bundled message', () => {
    const rows = db.prepare('SELECT message_id AS id, body FROM messages WHERE is_ghost = 0').all() as {
      id: string;
      body: string | null;
    }[];
    assert.ok(rows.length > 900);
    let paras = 0;
    for (const r of rows) {
      const mine = ownParagraphTexts(r.body ?? '');
      const spans = ownParagraphs(r.body ?? '');
      assert.deepEqual(
        mine,
        spans.map((p) => p.text.replace(/\r\n/g, '\n')),
        r.id,
      );
      assert.deepEqual(
        spans.map((p) => p.n),
        mine.map((_, i) => i + 1),
        r.id,
      );
      const lineParas = new Set(classify(r.body ?? '').map((l) => l.para));
      lineParas.delete(0);
      assert.equal(lineParas.size, mine.length, r.id);
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

describe('normalizeSpace', () => {
  // the naive rule it must equal: every run of whitespace one space, then trimmed
  const naive = (s: string): string => s.replace(/\s+/g, ' ').trim();
  it('equals the naive replace-and-trim on random strings of words and every kind of whitespace (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'memory.high',
      ' ',
      '  ',
      '\t',
      '\n',
      '\r\n',
      '\u00a0',
      '\u2003',
      '\u3000',
      '\ufeff',
      '>',
      'ü',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const s = parts.join('');
        assert.equal(normalizeSpace(s), naive(s));
      }),
      { numRuns: 2000 },
    );
  });
  it('hands back a string that is already normal as it is', () => {
    const s = 'Reclaim N bytes from the cgroup, no limit left behind.';
    assert.equal(normalizeSpace(s), s);
    assert.equal(normalizeSpace(' x'), 'x');
    assert.equal(normalizeSpace('x\u00a0y'), 'x y');
  });
});
