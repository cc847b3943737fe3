/**
 * Scoring objection endings against a label file: a hand-made file over the bundled archive whose
 * rows were chosen so that each outcome occurs once (expected counts worked out by hand from the
 * graph's hand-checked cases in test/graph/bundled.test.ts and the memory.reclaim record).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { endingLabels, evaluateLifecycle } from '../../src/graph/eval-lifecycle.ts';
import { ingestedDb, tempDir } from '../helpers/archive.ts';
import { runCli } from '../helpers/cli.ts';

const HEADER = 'message_id\tpara\tprefix\tending\tended_by\tnote';
const ROWS = [
  // Roman's request is memory.reclaim O10, which the decision record leaves open: right (no closing message)
  'YkXkA+Oh1Bx33PrU@carbon.dhcp.thefacebook.com\t3\t\topen\t-\tO10',
  // Shakeel's nodemask_t* request, addressed in v3: right ending, wrong closing message on purpose
  '20221201213202.ycdaymwojd5plyrk@google.com\t1\t\taddressed\t<nobody@example.com>\tnodemask',
  // a posting's first paragraph: not an objection in the graph
  '20200909215752.1725525-1-shakeelb@google.com\t1\t\topen\t-\tposting',
  // a message the archive does not hold
  'not-in-archive@example.com\t1\t\topen\t-\tmissing',
];

describe('evaluateLifecycle', () => {
  let db: Awaited<ReturnType<typeof ingestedDb>>;
  let t: ReturnType<typeof tempDir>;
  let file: string;
  before(async () => {
    db = await ingestedDb(['data']);
    t = tempDir();
    file = join(t.dir, 'lifecycle.tsv');
    writeFileSync(file, [HEADER, ...ROWS].join('\n') + '\n');
  });
  after(() => {
    db.db.close();
    db.cleanup();
    t.cleanup();
  });

  it('parses endings, with "-" and <> around ids', () => {
    const l = endingLabels(file);
    assert.equal(l.length, 4);
    assert.equal(l[1]!.endedBy, 'nobody@example.com');
    assert.equal(l[2]!.endedBy, null);
    assert.equal(l[0]!.para, 3);
  });

  it('counts each outcome', () => {
    const r = evaluateLifecycle(db.db, file);
    assert.equal(r.labelled, 4);
    assert.equal(r.missing, 1);
    assert.equal(r.notObjection, 1);
    assert.equal(r.endingRight, 2);
    assert.equal(r.bothRight, 1);
    assert.deepEqual(r.confusion.open, { open: 1, none: 1 });
    assert.deepEqual(r.confusion.addressed, { addressed: 1 });
    assert.deepEqual(
      r.misses.map((m) => m.key),
      ['20221201213202.ycdaymwojd5plyrk@google.com#p1', '20200909215752.1725525-1-shakeelb@google.com#p1'],
    );
  });

  it('graph eval --lifecycle prints the same figures', async () => {
    const r = await runCli(['graph', 'eval', '--db', db.file, '--lifecycle', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /^4 labelled objections \(1 not in this archive\); the graph does not treat 1 as objections\./,
    );
    assert.match(r.out, /Right ending: 2 of 3 \(66\.7 %\); right ending and closing message: 1 \(33\.3 %\)/);
  });
});
