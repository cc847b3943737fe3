/**
 * Training and measuring the stance model (`argmap graph train`): collect every labelled
 * paragraph's features from an archive, score the learner by thread-grouped cross-validation
 * beside the rules on the same folds, fit the softmax temperature on the held-out folds, and
 * train the shipped weights on all the labels.
 *
 * The learner is a multinomial logistic regression fitted by AdaGrad with L2. Why not a library:
 * the JavaScript ones measured (docs/stance-evaluation.md, "Learned model") are dense and
 * unregularised (ml-logistic-regression: one-vs-rest batch gradient descent, no bias, no
 * probabilities that sum to one) or dense SVMs without a sparse input (libsvm-js); a sparse
 * softmax is forty lines and trains all labels in well under a second.
 */
import type { Db } from '../store/db.ts';
import { buildGraph } from './build.ts';
import { LabelledReads } from './query.ts';
import { scoreStances, stanceLabels, type SplitReport, type StanceLabel } from './eval.ts';
import {
  MODEL_FORMAT,
  softmax,
  stanceFeatures,
  type StanceExample,
  type StanceModelFile,
} from './stance-model.ts';
import { STANCES, type Stance } from './stance.ts';
import { rng } from '../util/rng.ts';

/** Learner settings (chosen by cross-validation on the training labels only). */
export interface TrainOptions {
  epochs: number;
  /** AdaGrad step size. */
  lr: number;
  /** L2 penalty per update of an active feature. */
  l2: number;
  /** Features seen in fewer training paragraphs than this are dropped. */
  minCount: number;
  /** Fixed score added to the class the rules chose: the model starts from the rules and learns corrections. */
  rulePrior: number;
  seed: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  epochs: 12,
  lr: 0.05,
  l2: 1e-2,
  minCount: 2,
  rulePrior: 1,
  seed: 1,
};

/** One labelled paragraph with its features. */
export interface LabelledExample {
  key: string;
  /** Cross-validation group: the labelled thread (no thread in both train and test). */
  group: string;
  gold: Stance;
  rule: Stance;
  features: string[];
}

/**
 * The own-text paragraphs of the archive with their features, keyed `MESSAGE-ID#pN` (rebuilds the
 * graph, rules only): every one, or with `keys` only those (a training run needs the labelled
 * paragraphs; keeping all of a 36k-message archive's held about 600 MB).
 */
export function collectExamples(db: Db, keys?: ReadonlySet<string>): Map<string, StanceExample> {
  const out = new Map<string, StanceExample>();
  buildGraph(db, {
    added: null,
    model: null,
    observe: (key, ex) => {
      if (!keys || keys.has(key)) out.set(key, ex);
    },
  });
  return out;
}

/** The paragraph keys (`MESSAGE-ID#pN`) that label files label (trailer rows stay with the rules). */
export function labelledKeys(labelFiles: string[]): Set<string> {
  const out = new Set<string>();
  for (const file of labelFiles)
    for (const l of stanceLabels(undefined, file))
      if (/^\d+$/.test(l.para)) out.add(`${l.messageId}#p${l.para}`);
  return out;
}

/**
 * Join label files with the archive's paragraphs. Rows whose message is not in the archive, or
 * whose 60-character prefix no longer matches, are returned as `missing` (never guessed).
 */
export function labelledExamples(
  db: Db,
  examples: Map<string, StanceExample>,
  labelFiles: string[],
): { examples: LabelledExample[]; missing: StanceLabel[] } {
  const reads = new LabelledReads(db);
  const out: LabelledExample[] = [];
  const missing: StanceLabel[] = [];
  for (const file of labelFiles)
    for (const l of stanceLabels(undefined, file)) {
      if (!/^\d+$/.test(l.para)) continue; // trailers stay with the rules
      const key = `${l.messageId}#p${l.para}`;
      const ex = examples.get(key);
      const prefix = ex ? ex.input.text.replace(/\s+/g, ' ').trim().slice(0, 60) : '';
      const want = l.prefix.replace(/\s+/g, ' ').trim();
      if (
        !ex ||
        !(STANCES as readonly string[]).includes(l.stance) ||
        (want && !prefix.startsWith(want.slice(0, 40)))
      ) {
        missing.push(l);
        continue;
      }
      const thread = l.thread !== '?' ? l.thread : `thread:${reads.threadOf(l.messageId) ?? l.messageId}`;
      out.push({
        key,
        group: thread,
        gold: l.stance as Stance,
        rule: ex.rule.stance,
        features: stanceFeatures(ex),
      });
    }
  return { examples: out, missing };
}

interface Fitted {
  classes: Stance[];
  rulePrior: number;
  weights: Map<string, Float64Array>;
  bias: Float64Array;
}

/** Fit a sparse multinomial logistic regression. */
export function fit(train: LabelledExample[], opts: TrainOptions = DEFAULT_TRAIN): Fitted {
  const classes = [...STANCES];
  const k = classes.length;
  const count = new Map<string, number>();
  for (const ex of train) for (const f of ex.features) count.set(f, (count.get(f) ?? 0) + 1);
  const weights = new Map<string, Float64Array>();
  const sq = new Map<string, Float64Array>();
  for (const [f, c] of count)
    if (c >= opts.minCount) {
      weights.set(f, new Float64Array(k));
      sq.set(f, new Float64Array(k).fill(1e-8));
    }
  const bias = new Float64Array(k);
  const biasSq = new Float64Array(k).fill(1e-8);
  const rows = train.map((ex) => ({
    y: classes.indexOf(ex.gold),
    r: classes.indexOf(ex.rule),
    f: ex.features.filter((f) => weights.has(f)),
  }));
  const order = rows.map((_, i) => i);
  const rand = rng(opts.seed);
  const z = new Float64Array(k);
  const g = new Float64Array(k);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const idx of order) {
      const r = rows[idx]!;
      z.set(bias);
      z[r.r]! += opts.rulePrior;
      for (const f of r.f) {
        const w = weights.get(f)!;
        for (let c = 0; c < k; c++) z[c]! += w[c]!;
      }
      const p = softmax(Array.from(z));
      for (let c = 0; c < k; c++) g[c] = p[c]! - (c === r.y ? 1 : 0);
      for (const f of r.f) {
        const w = weights.get(f)!;
        const s = sq.get(f)!;
        for (let c = 0; c < k; c++) {
          const grad = g[c]! + opts.l2 * w[c]!;
          s[c]! += grad * grad;
          w[c]! -= (opts.lr * grad) / Math.sqrt(s[c]!);
        }
      }
      for (let c = 0; c < k; c++) {
        biasSq[c]! += g[c]! * g[c]!;
        bias[c]! -= (opts.lr * g[c]!) / Math.sqrt(biasSq[c]!);
      }
    }
  }
  return { classes, rulePrior: opts.rulePrior, weights, bias };
}

/** Raw scores (before the softmax) of one example. */
function scores(m: Fitted, features: string[], rule: Stance): number[] {
  const z = Array.from(m.bias);
  z[m.classes.indexOf(rule)]! += m.rulePrior;
  for (const f of features) {
    const w = m.weights.get(f);
    if (!w) continue;
    for (let c = 0; c < z.length; c++) z[c]! += w[c]!;
  }
  return z;
}

/** The temperature that minimises the negative log-likelihood of held-out scores (grid search). */
export function fitTemperature(held: { z: number[]; y: number }[]): number {
  let best = 1;
  let bestNll = Infinity;
  for (let t = 0.5; t <= 5.0001; t += 0.05) {
    let nll = 0;
    for (const h of held) nll -= Math.log(Math.max(1e-12, softmax(h.z, t)[h.y]!));
    if (nll < bestNll) {
      bestNll = nll;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

/** One reliability bin: predictions whose top probability fell in [lo, hi). */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  meanP: number;
  accuracy: number;
}

/** Expected calibration error over 10 equal-width bins of the top probability, and the bins. */
export function calibration(preds: { p: number; correct: boolean }[]): {
  ece: number;
  bins: ReliabilityBin[];
} {
  const bins: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < 10; b++) {
    const lo = b / 10;
    const hi = (b + 1) / 10;
    const inBin = preds.filter((x) => x.p >= lo && (x.p < hi || (b === 9 && x.p <= 1)));
    const n = inBin.length;
    const meanP = n ? inBin.reduce((a, x) => a + x.p, 0) / n : 0;
    const accuracy = n ? inBin.filter((x) => x.correct).length / n : 0;
    if (preds.length) ece += (n / preds.length) * Math.abs(meanP - accuracy);
    bins.push({ lo, hi, n, meanP, accuracy });
  }
  return { ece, bins };
}

/** Split groups into `k` folds of about equal paragraph counts (largest group first; deterministic). */
export function groupFolds(examples: LabelledExample[], k: number): string[][] {
  const size = new Map<string, number>();
  for (const ex of examples) size.set(ex.group, (size.get(ex.group) ?? 0) + 1);
  const groups = [...size.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const folds: { groups: string[]; n: number }[] = Array.from({ length: k }, () => ({ groups: [], n: 0 }));
  for (const [g, n] of groups) {
    const f = folds.reduce((a, b) => (b.n < a.n ? b : a));
    f.groups.push(g);
    f.n += n;
  }
  return folds.map((f) => f.groups);
}

/** Held-out predictions of one cross-validation run. */
export interface HeldOutPrediction {
  key: string;
  group: string;
  gold: Stance;
  rule: Stance;
  pred: Stance;
  /** Calibrated probability of `pred` (temperature fitted on the other folds' held-out scores). */
  p: number;
  alt: Stance;
  z: number[];
}

/** The cross-validation report: model and rules on the same folds. */
export interface CvReport {
  folds: number;
  groups: string[][];
  paragraphs: number;
  model: SplitReport;
  rules: SplitReport;
  temperature: number;
  eceBefore: number;
  eceAfter: number;
  reliability: ReliabilityBin[];
  predictions: HeldOutPrediction[];
}

/**
 * Thread-grouped cross-validation. `fraction` < 1 trains each fold on that share of its training
 * paragraphs (sampled at random), for the learning curve.
 */
export function crossValidate(
  examples: LabelledExample[],
  k = 5,
  opts: TrainOptions = DEFAULT_TRAIN,
  fraction = 1,
): CvReport {
  const groups = groupFolds(examples, k);
  const preds: HeldOutPrediction[] = [];
  const rand = rng(opts.seed + 7);
  for (const test of groups) {
    const inTest = new Set(test);
    let train = examples.filter((e) => !inTest.has(e.group));
    if (fraction < 1) {
      const keep = train.filter(() => rand() < fraction);
      train = keep.length ? keep : train.slice(0, 1);
    }
    const m = fit(train, opts);
    for (const e of examples)
      if (inTest.has(e.group)) {
        const z = scores(m, e.features, e.rule);
        preds.push({
          key: e.key,
          group: e.group,
          gold: e.gold,
          rule: e.rule,
          pred: e.gold,
          p: 0,
          alt: e.gold,
          z,
        });
      }
  }
  // calibration: one temperature over all held-out scores, and the ECE before and after
  const classes = [...STANCES];
  const held = preds.map((p) => ({ z: p.z, y: classes.indexOf(p.gold) }));
  const temperature = fitTemperature(held);
  const before: { p: number; correct: boolean }[] = [];
  const after: { p: number; correct: boolean }[] = [];
  for (const p of preds) {
    const raw = softmax(p.z, 1);
    const cal = softmax(p.z, temperature);
    let a = 0;
    for (let c = 1; c < cal.length; c++) if (cal[c]! > cal[a]!) a = c;
    let b = a === 0 ? 1 : 0;
    for (let c = 0; c < cal.length; c++) if (c !== a && cal[c]! > cal[b]!) b = c;
    p.pred = classes[a]!;
    p.alt = classes[b]!;
    p.p = cal[a]!;
    before.push({ p: raw[a]!, correct: p.pred === p.gold });
    after.push({ p: cal[a]!, correct: p.pred === p.gold });
  }
  const cb = calibration(before);
  const ca = calibration(after);
  return {
    folds: k,
    groups,
    paragraphs: preds.length,
    model: scoreStances(
      'cv-model',
      preds.map((p) => ({ gold: p.gold, pred: p.pred })),
    ),
    rules: scoreStances(
      'cv-rules',
      preds.map((p) => ({ gold: p.gold, pred: p.rule })),
    ),
    temperature,
    eceBefore: cb.ece,
    eceAfter: ca.ece,
    reliability: ca.bins,
    predictions: preds,
  };
}

/** Weights smaller than this are dropped from the shipped file (they change no decision). */
const MIN_WEIGHT = 1e-2;

/** Train on all examples and package the weights file. */
export function trainModel(
  examples: LabelledExample[],
  temperature: number,
  trained: Record<string, unknown>,
  opts: TrainOptions = DEFAULT_TRAIN,
): StanceModelFile {
  const m = fit(examples, opts);
  const weights: Record<string, Record<string, number>> = {};
  for (const [f, w] of m.weights) {
    const row: Record<string, number> = {};
    w.forEach((v, c) => {
      if (Math.abs(v) >= MIN_WEIGHT) row[m.classes[c]!] = Math.round(v * 1000) / 1000;
    });
    if (Object.keys(row).length) weights[f] = row;
  }
  const bias: Record<string, number> = {};
  m.bias.forEach((v, c) => (bias[m.classes[c]!] = Math.round(v * 10000) / 10000));
  return {
    format: MODEL_FORMAT,
    classes: m.classes,
    weights,
    bias,
    temperature,
    rulePrior: m.rulePrior,
    trained: { ...trained, options: opts, paragraphs: examples.length },
  };
}
