/**
 * Scoring objection endings against a label file: a hand-made file over the bundled archive whose
 * rows were chosen so that each outcome occurs once (expected counts worked out by hand from the
 * graph's hand-checked cases in test/graph/bundled.test.ts and the memory.reclaim record).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asLabelEnding, endingLabels, evaluateLifecycle } from '../../src/graph/eval-lifecycle.ts';
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
  // memory.reclaim O1: Michal gave up the objection with his ack (the record's "conceded"); the
  // graph says withdrawn, which is the labels' conceded
  '20200921163055.GQ12990@dhcp22.suse.cz\t2\t\tconceded\tYkcEMdsi9G5y8mX4@dhcp22.suse.cz\tO1',
  // memory.high throttling O3: the patch's side accepted it (the record's "accepted"); the graph
  // says conceded, which is the labels' addressed
  '8cd132f84bd7e16cdb8fde3378cdbf05ba00d387.1584036142.git.chris@chrisdown.name\t1\t\taddressed\t20200316162128.GF67986@cmpxchg.org\tO3',
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
    assert.equal(l.length, 6);
    assert.equal(l[1]!.endedBy, 'nobody@example.com');
    assert.equal(l[2]!.endedBy, null);
    assert.equal(l[0]!.para, 3);
  });

  it('counts each outcome', () => {
    const r = evaluateLifecycle(db.db, file);
    assert.equal(r.labelled, 6);
    assert.equal(r.missing, 1);
    assert.equal(r.notObjection, 1);
    assert.equal(r.endingRight, 4);
    assert.equal(r.bothRight, 3);
    assert.deepEqual(r.confusion.open, { open: 1, none: 1 });
    assert.deepEqual(r.confusion.addressed, { addressed: 2 });
    assert.deepEqual(r.confusion.conceded, { conceded: 1 });
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
      /^6 labelled objections \(1 not in this archive\); the graph does not treat 1 as objections\./,
    );
    assert.match(r.out, /Right ending: 4 of 5 \(80\.0 %\); right ending and closing message: 3 \(60\.0 %\)/);
  });

  it("speaks the labels' words: who gave way decides the name", () => {
    assert.equal(asLabelEnding('withdrawn'), 'conceded');
    assert.equal(asLabelEnding('conceded'), 'addressed');
    for (const s of ['addressed', 'rebutted', 'open']) assert.equal(asLabelEnding(s), s);
  });
});
