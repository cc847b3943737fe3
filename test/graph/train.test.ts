/**
 * Training: the learner against a naive oracle, the fold split, calibration arithmetic checked by
 * hand, and a retrain through the CLI on a small real label file that checks the weights file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  calibration,
  collectExamples,
  crossValidate,
  fit,
  fitTemperature,
  groupFolds,
  labelledKeys,
  trainModel,
  type LabelledExample,
} from '../../src/graph/train.ts';
import { callStance, checkModelFile, softmax } from '../../src/graph/stance-model.ts';
import { loadStanceModel } from '../../src/graph/stance-model-file.ts';
import { buildGraph } from '../../src/graph/build.ts';
import { STANCES, type Stance } from '../../src/graph/stance.ts';
import { ingestedDb, rows, tempDir } from '../helpers/archive.ts';
import { runCli } from '../helpers/cli.ts';

const ex = (
  key: string,
  group: string,
  gold: Stance,
  features: string[],
  rule: Stance = 'neutral',
): LabelledExample => ({
  key,
  group,
  gold,
  rule,
  features,
});

describe('fit', () => {
  it('learns any labelling that one feature decides (oracle: the feature → class table)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...STANCES), { minLength: 2, maxLength: 5 }),
        fc.array(fc.nat({ max: 4 }), { minLength: 30, maxLength: 60 }),
        (classOf, picks) => {
          const data = picks.map((p, i) => {
            const k = p % classOf.length;
            return ex(`m${i}#p1`, 'g', classOf[k]!, [`key:${k}`, `noise:${i % 3}`]);
          });
          const m = trainModel(
            data,
            1,
            {},
            { epochs: 30, lr: 0.5, l2: 0, minCount: 1, rulePrior: 0, seed: 3 },
          );
          for (const d of data) {
            const p = softmaxOf(m, d.features);
            const best = m.classes[p.indexOf(Math.max(...p))];
            assert.equal(best, d.gold);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is deterministic for a seed', () => {
    const data = [
      ex('a', 'g', 'asks', ['x']),
      ex('b', 'g', 'answers', ['y']),
      ex('c', 'g', 'asks', ['x', 'y']),
    ];
    const o = { epochs: 5, lr: 0.3, l2: 0, minCount: 1, rulePrior: 0, seed: 9 };
    assert.deepEqual([...fit(data, o).weights.get('x')!], [...fit(data, o).weights.get('x')!]);
  });

  it('drops features rarer than minCount', () => {
    const data = [ex('a', 'g', 'asks', ['common', 'once']), ex('b', 'g', 'asks', ['common'])];
    const m = fit(data, { epochs: 1, lr: 0.1, l2: 0, minCount: 2, rulePrior: 0, seed: 1 });
    assert.ok(m.weights.has('common'));
    assert.ok(!m.weights.has('once'));
  });
});

function softmaxOf(m: ReturnType<typeof trainModel>, features: string[]): number[] {
  const z = m.classes.map((c) => m.bias[c] ?? 0);
  for (const f of features)
    for (const [c, w] of Object.entries(m.weights[f] ?? {})) z[m.classes.indexOf(c as Stance)]! += w;
  return softmax(z, m.temperature);
}

describe('groupFolds', () => {
  it('puts every group in exactly one fold, largest first into the emptiest', () => {
    const data: LabelledExample[] = [];
    const sizes = { a: 6, b: 5, c: 4, d: 3, e: 2 };
    for (const [g, n] of Object.entries(sizes))
      for (let i = 0; i < n; i++) data.push(ex(`${g}${i}`, g, 'asks', []));
    const folds = groupFolds(data, 2);
    // a(6) → fold 0; b(5) → fold 1; c(4) → fold 1 (5 < 6); d(3) → fold 0 (6 < 9); e(2) → fold 0 or 1 (9 = 9): fold 0
    assert.deepEqual(folds, [
      ['a', 'd', 'e'],
      ['b', 'c'],
    ]);
  });

  it('never tests a thread it trained on', () => {
    const data = Array.from({ length: 40 }, (_, i) =>
      ex(`k${i}`, `t${i % 7}`, i % 2 ? 'asks' : 'answers', [`f${i % 2}`]),
    );
    const r = crossValidate(data, 3, { epochs: 3, lr: 0.3, l2: 0, minCount: 1, rulePrior: 0, seed: 1 });
    assert.equal(r.paragraphs, 40);
    const seen = r.groups.flat();
    assert.equal(seen.length, new Set(seen).size);
    assert.equal(seen.length, 7);
  });
});

describe('calibration', () => {
  it('computes the expected calibration error (worked by hand)', () => {
    // bin 9: mean p 0.95, accuracy 0.5 (2 of 4 predictions); bin 5: mean p 0.55, accuracy 1 (2 of 4)
    const r = calibration([
      { p: 0.95, correct: true },
      { p: 0.95, correct: false },
      { p: 0.55, correct: true },
      { p: 0.55, correct: true },
    ]);
    // 0.5 × |0.95 − 0.5| + 0.5 × |0.55 − 1| = 0.225 + 0.225
    assert.ok(Math.abs(r.ece - 0.45) < 1e-9);
    assert.equal(r.bins[9]!.n, 2);
    assert.equal(r.bins[1]!.n, 0);
  });

  it('a temperature above 1 for overconfident scores, below 1 for underconfident ones', () => {
    // right only 60 % of the time, with scores that claim 99 %
    const over = Array.from({ length: 100 }, (_, i) => ({ z: [5, 0, 0], y: i % 10 < 6 ? 0 : 1 }));
    assert.ok(fitTemperature(over) > 1.5);
    const under = Array.from({ length: 100 }, () => ({ z: [0.2, 0, 0], y: 0 }));
    assert.ok(fitTemperature(under) < 1);
  });
});

describe('argmap graph train on a small real label file', () => {
  let db: Awaited<ReturnType<typeof ingestedDb>>;
  let tmp: ReturnType<typeof tempDir>;
  let labels: string;
  let out: string;
  const keep = [
    '20190201161233.GA11231@cmpxchg.org',
    '20190201191636.GA17391@chrisdown.name',
    '20200219181219.54356-1-hannes@cmpxchg.org',
    '20200219183731.GC11847@dhcp22.suse.cz',
    '20200219191618.GB54486@cmpxchg.org',
    '20200219191705.GA1357312@chrisdown.name',
  ];

  before(async () => {
    db = await ingestedDb(['data']);
    tmp = tempDir();
    labels = join(tmp.dir, 'labels.tsv');
    out = join(tmp.dir, 'model.json');
    const all = readFileSync('data/labels/stance.tsv', 'utf8').split('\n');
    writeFileSync(
      labels,
      [all[0], ...all.slice(1).filter((l) => keep.includes(l.split('\t')[0]!))].join('\n') + '\n',
    );
  });
  after(() => {
    db.db.close();
    db.cleanup();
    tmp.cleanup();
  });
  it('collects the features of the labelled paragraphs only, when asked for their keys', () => {
    const keys = labelledKeys([labels]);
    // the label file's numbered rows, counted by hand from the file rather than by the code
    const numbered = readFileSync(labels, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => /^[^\t]+\t\d+\t/.test(l));
    assert.equal(keys.size, numbered.length);
    const some = collectExamples(db.db, keys);
    assert.deepEqual([...some.keys()].sort(), [...keys].sort());
    const every = collectExamples(db.db);
    assert.ok(every.size > 10 * some.size, `${every.size} paragraphs in all`);
    for (const [k, ex] of some) assert.equal(ex.input.text, every.get(k)!.input.text, k);
  });

  /** `argmap graph train --db ARCHIVE …` on this suite's archive. */
  const train = (...args: string[]): ReturnType<typeof runCli> =>
    runCli(['graph', 'train', '--db', db.file, ...args]);

  it('writes a weights file that loads, one feature per line, and the graph uses it', async () => {
    const r = await train('--labels', labels, '--out', out, '--folds', '2', '--json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as {
      paragraphs: number;
      folds: number;
      wrote: string;
      curve: unknown[];
    };
    assert.ok(report.paragraphs >= 20, `${report.paragraphs} paragraphs`);
    assert.equal(report.folds, 2);
    assert.equal(report.wrote, out);
    assert.equal(report.curve.length, 4);
    const text = readFileSync(out, 'utf8');
    const m = checkModelFile(JSON.parse(text));
    assert.deepEqual((m.trained.labels as string[]).length, 1);
    // the weights block lists one feature per line (reviewable diffs)
    const weightLines = text
      .slice(text.indexOf('"weights": {'))
      .split('\n')
      .filter((l) => /^ {4}".+": \{.*\},?$/.test(l));
    assert.equal(weightLines.length, Object.keys(m.weights).length);
    assert.deepEqual(loadStanceModel(out), m);
    buildGraph(db.db, { added: null, model: m });
    const stored = rows<{ model_stance: string | null; kind: string }>(
      db.db,
      'SELECT model_stance, kind FROM claim_rows',
    );
    assert.ok(stored.filter((c) => c.kind === 'para').every((c) => c.model_stance !== null));
    assert.ok(stored.filter((c) => c.kind === 'trailer').every((c) => c.model_stance === null));
    // a labelled paragraph the model was trained on comes back with its label
    const call = callStance(m, {
      input: {
        text: 'Hm, can you elaborate on your question a bit?',
        kind: 'para',
        inPosting: false,
        writerIsProposer: true,
        quote: 'x?',
        directlyUnderQuote: true,
        quoteAnswersWriter: false,
        nextLine: null,
        previous: null,
        quotedStances: [],
      },
      rule: { stance: 'asks', reason: 'reply.question', confidence: 0.5 },
      ctx: { n: 1, paras: 4, depth: 1, writerObjectedBefore: false, messageAcks: false, previousCues: [] },
    });
    assert.equal(call.stance, 'asks');
  });

  it('refuses too few folds or a missing label file, saying what to do', async () => {
    const a = await train('--labels', labels, '--folds', '1', '--dry-run');
    assert.notEqual(a.code, 0);
    assert.match(a.err, /--folds must be an integer >= 2/);
    const b = await train('--labels', join(tmp.dir, 'nope.tsv'), '--dry-run');
    assert.notEqual(b.code, 0);
    assert.match(b.err, /no such label file/);
  });
});
