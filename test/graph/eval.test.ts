// `graph eval` on the bundled corpus: the default label file with its frozen thread split, and
// another label file (`--labels`, here a temporary file of real rows of stance.tsv) scored as one
// split (`--split all`), as the team scores a new held-out label file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDb, ingestPaths } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import { evaluate, type EvalReport } from '../../src/graph/eval.ts';
import { runCli as run } from '../helpers/cli.ts';

let db: Db;
let file: string;
let dir: string;
let cleanup: () => void;
let full: EvalReport;
let sample: string;
/** Rows of the sample: paragraphs (not trailers), and how many of them are in each frozen split. */
let sampleParas = 0;
let sampleTrailers = 0;

before(async () => {
  const f = freshDb();
  db = f.db;
  file = f.file;
  dir = f.dir;
  cleanup = f.cleanup;
  await ingestPaths(db, ['data/corpus']);
  full = evaluate(db);
  // the rows of every 6th labelled message of stance.tsv (former development and held-out threads,
  // paragraphs and trailers; whole messages, since trailer rows are numbered by their order)
  const lines = readFileSync('data/labels/stance.tsv', 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const mids = [...new Set(lines.slice(1).map((l) => l.split('\t')[0]))];
  const keep = new Set(mids.filter((_, i) => i % 6 === 0));
  const picked = lines.slice(1).filter((l) => keep.has(l.split('\t')[0]));
  for (const l of picked) if (l.split('\t')[1] === 't') sampleTrailers++;
  sampleParas = picked.length - sampleTrailers;
  sample = join(dir, 'sample.tsv');
  writeFileSync(sample, [lines[0], ...picked].join('\n') + '\n');
});
after(() => cleanup());

describe('graph eval: the default label file', () => {
  it('scores all 828 paragraphs of stance.tsv, 495 development and 333 held out, every row aligned', () => {
    assert.equal(full.split, 'threads');
    assert.equal(full.paragraphs.dev.rows, 495);
    assert.equal(full.paragraphs.heldout.rows, 333);
    assert.equal(full.paragraphs.all.rows, 828);
    assert.equal(full.alignment.matched, 868);
  });

  it('scores the thread outline per labelled message, consistently with the labels', () => {
    const m = full.messages;
    const labelled = new Set(
      readFileSync('data/labels/stance.tsv', 'utf8')
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() && l.split('\t')[1] !== 't')
        .map((l) => l.split('\t')[0]),
    );
    assert.equal(m.messages, labelled.size);
    assert.ok(m.shownInLabels <= m.shown && m.shown <= 2 * m.messages, JSON.stringify(m));
    assert.ok(m.topLabelShown <= m.withTopLabel && m.withTopLabel <= m.messages);
    assert.ok(m.objectsInLabels <= m.objectsShown && m.objectsShown <= m.messages);
    // Far better than chance, and not perfect: the figures docs/stance-evaluation.md reports.
    assert.ok(m.shownInLabels / m.shown > 0.6 && m.shownInLabels / m.shown < 0.95);
  });
});

describe('graph eval --labels FILE --split all', () => {
  it('scores another label file as one split, with the same verdicts as in the full run', () => {
    assert.ok(
      sampleParas > 40 && sampleTrailers > 0,
      `${sampleParas} paragraphs, ${sampleTrailers} trailers`,
    );
    const r = evaluate(db, undefined, { labels: sample, split: 'all' });
    assert.equal(r.split, 'all');
    assert.equal(r.labelsFile, sample);
    assert.equal(r.alignment.labelled, sampleParas + sampleTrailers);
    assert.equal(r.alignment.matched, sampleParas + sampleTrailers);
    assert.equal(r.paragraphs.all.rows, sampleParas);
    assert.equal(r.paragraphs.dev.rows, 0);
    assert.equal(r.paragraphs.heldout.rows, 0);
    assert.equal(r.trailers.rows, sampleTrailers);
    // each mismatch of the sample is a mismatch of the full run, now in split "all"
    const fullErr = new Set(full.errors.map((e) => `${e.messageId}#${e.para} ${e.predicted}`));
    for (const e of r.errors) {
      assert.equal(e.split, 'all');
      assert.ok(fullErr.has(`${e.messageId}#${e.para} ${e.predicted}`), `${e.messageId}#${e.para}`);
    }
    const correct = r.paragraphs.all.perStance.reduce((a, p) => a + p.correct, 0);
    assert.equal(correct + r.errors.length, sampleParas);
    // the rule table counts every row once
    const fired = Object.values(r.rules).reduce((a, v) => a + v.fired + v.heldoutFired, 0);
    assert.equal(fired, sampleParas + sampleTrailers);
    assert.equal(
      Object.values(r.rules).reduce((a, v) => a + v.heldoutFired, 0),
      0,
    );
  });

  it('the same file without --split all keeps the frozen thread split', () => {
    const r = evaluate(db, undefined, { labels: sample });
    assert.equal(r.paragraphs.dev.rows + r.paragraphs.heldout.rows, sampleParas);
    assert.ok(r.paragraphs.dev.rows > 0 && r.paragraphs.heldout.rows > 0);
  });

  it('the CLI takes --labels and --split, prints one table, and refuses a bad split or a missing file', async () => {
    const r = await run(['graph', 'eval', '--db', file, '--labels', sample, '--split', 'all']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /every row scored as one split \("all"\)/);
    assert.match(r.out, new RegExp(`\\*\\*all\\*\\*: ${sampleParas} paragraphs, accuracy`));
    assert.doesNotMatch(r.out, /\*\*dev\*\*|\*\*heldout\*\*/);
    const j = await run(['graph', 'eval', '--db', file, '--labels', sample, '--split', 'all', '--json']);
    assert.equal(JSON.parse(j.out).paragraphs.all.rows, sampleParas);
    const bad = await run(['graph', 'eval', '--db', file, '--split', 'some']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--split must be threads or all/);
    const missing = await run(['graph', 'eval', '--db', file, '--labels', join(dir, 'none.tsv')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such label file/);
  });
});
