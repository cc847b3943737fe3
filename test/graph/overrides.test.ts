// Curated stance corrections (src/graph/overrides.ts): the parser on the file's own format, and
// the bundled data/stance-overrides.tsv on the real 2020 memory.reclaim thread — every row for a
// message of that thread names a paragraph whose text starts with the row's prefix, and the built
// graph shows the row's stance there.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { rows, sharedArchive } from '../helpers/archive.ts';
import { RECLAIM_MBOX } from '../helpers/fixture-ids.ts';
import { loadOverrides, OVERRIDES_PATH, parseOverrides } from '../../src/graph/overrides.ts';

describe('parseOverrides', () => {
  it('reads rows, numbering bare paragraphs and keeping trailer keys', () => {
    const tsv = `# a comment
message_id\tpara\tprefix\tstance\treason

a@b\t2\tIn an ideal world\tobjects-to\tthe reason
c@d\tt3\tAcked-by: X\tacks
e@f\tp1\t\tconcedes\t`;
    const got = parseOverrides(tsv);
    assert.deepEqual(got, [
      {
        messageId: 'a@b',
        key: 'p2',
        prefix: 'In an ideal world',
        stance: 'objects-to',
        reason: 'the reason',
      },
      { messageId: 'c@d', key: 't3', prefix: 'Acked-by: X', stance: 'acks', reason: '' },
      { messageId: 'e@f', key: 'p1', prefix: '', stance: 'concedes', reason: '' },
    ]);
  });

  it('skips rows with an unknown stance or a missing field', () => {
    assert.deepEqual(
      parseOverrides('a@b\t1\tx\tdisagrees\tr\na@b\t\tx\tasks\tr\n\t1\tx\tasks\tr\na@b\t1'),
      [],
    );
  });

  it('has no overrides without a file', () => {
    assert.equal(loadOverrides(join(import.meta.dirname, 'no-such-file.tsv')).size, 0);
  });
});

describe('the bundled overrides on the real thread', () => {
  const archive = sharedArchive([RECLAIM_MBOX]);

  it('name paragraphs that start with their prefix, and the graph shows their stance', () => {
    const all = loadOverrides(OVERRIDES_PATH);
    assert.ok(all.size > 0);
    const claims = new Map(
      rows<{ key: string; text: string; stance: string; src: string }>(
        archive.db,
        'SELECT c.key, c.text, c.stance, r.stance_source AS src FROM claims c JOIN claim_rows r ON r.id = c.id',
      ).map((c) => [c.key, c]),
    );
    let inThread = 0;
    for (const [key, o] of all) {
      const c = claims.get(key);
      if (!c) continue;
      inThread++;
      assert.ok(c.text.replace(/\s+/g, ' ').startsWith(o.prefix.replace(/\s+/g, ' ')), `${key}: ${o.prefix}`);
      assert.equal(c.stance, o.stance, key);
      assert.equal(c.src, 'override', key);
    }
    assert.ok(inThread >= 2, `${inThread} overrides in this thread`);
  });
});
