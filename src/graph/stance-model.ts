/**
 * The learned stance model: a multinomial logistic regression over sparse, named features of one
 * own-text paragraph (its words, what it answers, where it stands in the message and thread, and
 * the rules' own verdict). Trained by `argmap graph train` (src/graph/train.ts) from data/labels/
 * and shipped as data/stance-model.json; the graph build uses it with no network and no GPU.
 *
 * Pure and synchronous: the same features and weights always give the same probabilities, in Node
 * and in a browser. Trailers and curated overrides stay with the rules and the overrides file.
 */
import {
  cueHits,
  isCode,
  quoteAsks,
  STANCES,
  type Stance,
  type StanceInput,
  type StanceResult,
} from './stance.ts';

/** Weights file format version: bump when features or the file layout change. */
export const MODEL_FORMAT = 1;

/**
 * Limits on what one paragraph contributes, so a hostile 1 MB paragraph cannot cost more than a
 * long review does: the words and characters beyond these are not looked at.
 */
export const MAX_FEATURE_CHARS = 4000;
export const MAX_QUOTE_CHARS = 600;

/** Where the paragraph stands, beyond what the rules see. */
export interface StanceContext {
  /** 1-based paragraph number in the message's own text. */
  n: number;
  /** Number of own-text paragraphs in the message. */
  paras: number;
  /** Depth of the message in its thread (0 for a root). */
  depth: number;
  /** The writer has an earlier paragraph in this thread that the rules called objects-to. */
  writerObjectedBefore: boolean;
  /** The message carries the writer's own Acked-by/Reviewed-by/Tested-by trailer. */
  messageAcks: boolean;
  /** Cue lists matched by the previous own-text paragraph of the same message (see `cueHits`). */
  previousCues: string[];
}

/** Everything the model looks at for one paragraph. */
export interface StanceExample {
  input: StanceInput;
  rule: StanceResult;
  ctx: StanceContext;
  /** `cueHits` of the paragraph when the caller already has them (the build reuses them for the next paragraph). */
  cues?: string[];
}

/** The shipped weights (data/stance-model.json). */
export interface StanceModelFile {
  format: number;
  /** Class order of every weight row. */
  classes: Stance[];
  /** Feature name → weights per class (sparse: missing classes are 0). */
  weights: Record<string, Record<string, number>>;
  bias: Record<string, number>;
  /** Softmax temperature fitted on held-out folds (calibration). */
  temperature: number;
  /** Score added to the class the rules chose (the model learns corrections to the rules). */
  rulePrior: number;
  /** How it was trained: labels, folds, settings and the held-out figures (for review). */
  trained: Record<string, unknown>;
}

function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9'?!_.+-]+/g, ' ')
    .replace(/(^|\s)[.'+-]+|[.'+-]+(?=\s|$)/g, ' ')
    .split(' ')
    .filter(Boolean);
}

function bucket(n: number, edges: number[]): string {
  let i = 0;
  while (i < edges.length && n > edges[i]!) i++;
  return String(i);
}

/**
 * The named features of one example. Names are strings so that a weights file can be read by a
 * person ("w:nack", "rule:obj.cue"), and so that unseen features simply weigh nothing.
 */
export function stanceFeatures(ex: StanceExample): string[] {
  const { input, rule, ctx } = ex;
  const f: string[] = ['bias.const'];
  const text = input.text.slice(0, MAX_FEATURE_CHARS);
  const flat = text.replace(/\s+/g, ' ').trim();
  const ruleId = rule.reason.split(':')[0]!;
  // the rules' verdict, alone and crossed with the message kind
  f.push(`rs:${rule.stance}`, `rid:${ruleId}`, `rs:${rule.stance}|post:${input.inPosting ? 1 : 0}`);
  // structure
  f.push(`post:${input.inPosting ? 1 : 0}`, `prop:${input.writerIsProposer ? 1 : 0}`);
  f.push(`post+prop:${input.inPosting ? 1 : 0}${input.writerIsProposer ? 1 : 0}`);
  f.push(`quote:${input.quote ? 1 : 0}`, `underq:${input.directlyUnderQuote ? 1 : 0}`);
  if (input.quoteAnswersWriter) f.push('qaw');
  if (quoteAsks(input.quote)) f.push('qasks', `qasks|prop:${input.writerIsProposer ? 1 : 0}`);
  f.push(`prev:${input.previous ?? 'none'}`);
  for (const s of new Set(input.quotedStances))
    f.push(`qs:${s}`, `qs:${s}|prop:${input.writerIsProposer ? 1 : 0}`);
  if (input.nextLine) f.push('next.trailer');
  f.push(`first:${ctx.n === 1 ? 1 : 0}`, `last:${ctx.n === ctx.paras ? 1 : 0}`);
  f.push(`depth:${bucket(ctx.depth, [0, 1, 3])}`);
  if (ctx.writerObjectedBefore) f.push('objbefore', `objbefore|prop:${input.writerIsProposer ? 1 : 0}`);
  if (ctx.messageAcks) f.push('msg.acks', `msg.acks|rs:${rule.stance}`);
  for (const c of ctx.previousCues) if (!c.endsWith('@1')) f.push('pcue:' + c);
  const ws = words(flat);
  f.push(`len:${bucket(ws.length, [3, 8, 20, 50, 120])}`);
  if (/\?/.test(flat)) f.push('has?');
  if (/\?\s*$/.test(flat)) f.push('ends?');
  if (isCode(text)) f.push('code');
  // every cue list that matches, crossed with the writer's role (the rules take only the first)
  for (const c of ex.cues ?? cueHits(text))
    f.push('cue:' + c, `cue:${c}|prop:${input.writerIsProposer ? 1 : 0}`);
  // words: unigrams, bigrams, and the opening words (where "Good point", "Nack" and "I do not
  // think" live)
  for (let i = 0; i < ws.length; i++) {
    f.push('w:' + ws[i]);
    if (i + 1 < ws.length) f.push('b:' + ws[i] + '_' + ws[i + 1]);
  }
  if (ws.length) f.push('o1:' + ws[0]);
  if (ws.length > 1) f.push('o2:' + ws[0] + '_' + ws[1]);
  if (ws.length > 2) f.push('o3:' + ws[0] + '_' + ws[1] + '_' + ws[2]);
  // the text it answers: its words (the tail of the quote, nearest to the reply)
  if (input.quote) {
    const q = words(input.quote.slice(-MAX_QUOTE_CHARS));
    for (const w of new Set(q)) f.push('q:' + w);
  }
  return [...new Set(f)];
}

/** A weights file turned into typed arrays once, so a call is a few array additions per feature. */
interface Compiled {
  weights: Map<string, Float64Array>;
  bias: Float64Array;
  ruleIndex: Map<string, number>;
}

const compiled = new WeakMap<StanceModelFile, Compiled>();

function compile(model: StanceModelFile): Compiled {
  let c = compiled.get(model);
  if (c) return c;
  const k = model.classes.length;
  const weights = new Map<string, Float64Array>();
  for (const [name, row] of Object.entries(model.weights)) {
    const w = new Float64Array(k);
    model.classes.forEach((cl, j) => (w[j] = row[cl] ?? 0));
    weights.set(name, w);
  }
  const bias = Float64Array.from(model.classes, (cl) => model.bias[cl] ?? 0);
  c = { weights, bias, ruleIndex: new Map(model.classes.map((cl, j) => [cl, j])) };
  compiled.set(model, c);
  return c;
}

/** Probabilities per class from a model and the features of one example. */
export function stanceProbabilities(model: StanceModelFile, features: string[], rule: Stance): number[] {
  const c = compile(model);
  const z = Array.from(c.bias);
  const r = c.ruleIndex.get(rule);
  if (r !== undefined) z[r]! += model.rulePrior;
  for (const name of features) {
    const w = c.weights.get(name);
    if (!w) continue;
    for (let j = 0; j < z.length; j++) z[j]! += w[j]!;
  }
  return softmax(z, model.temperature);
}

/** Softmax with a temperature (T > 1 flattens overconfident scores). */
export function softmax(z: number[], temperature = 1): number[] {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  const e = z.map((v) => Math.exp((v - max) / temperature));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** The model's call on one example: best stance, its probability, and the runner-up. */
export interface StanceCall {
  stance: Stance;
  p: number;
  alt: Stance;
  altP: number;
}

/** Decide a paragraph's stance with the model. */
export function callStance(model: StanceModelFile, ex: StanceExample): StanceCall {
  const p = stanceProbabilities(model, stanceFeatures(ex), ex.rule.stance);
  let a = 0;
  let b = -1;
  for (let j = 1; j < p.length; j++) if (p[j]! > p[a]!) a = j;
  for (let j = 0; j < p.length; j++) if (j !== a && (b < 0 || p[j]! > p[b]!)) b = j;
  return { stance: model.classes[a]!, p: p[a]!, alt: model.classes[b]!, altP: p[b]! };
}

/** Check a parsed weights file; throws with what is wrong (a hand-edited file must not half-load). */
export function checkModelFile(m: unknown): StanceModelFile {
  const o = m as StanceModelFile;
  if (!o || typeof o !== 'object') throw new Error('stance model: not a JSON object');
  if (o.format !== MODEL_FORMAT)
    throw new Error(`stance model: format ${String(o.format)}, expected ${MODEL_FORMAT}`);
  if (
    !Array.isArray(o.classes) ||
    !o.classes.length ||
    o.classes.some((c) => !(STANCES as readonly string[]).includes(c))
  )
    throw new Error('stance model: classes must be known stances');
  if (typeof o.temperature !== 'number' || !(o.temperature > 0))
    throw new Error('stance model: temperature must be > 0');
  if (typeof o.rulePrior !== 'number' || !Number.isFinite(o.rulePrior))
    throw new Error('stance model: rulePrior must be a number');
  if (!o.weights || typeof o.weights !== 'object' || !o.bias || typeof o.bias !== 'object')
    throw new Error('stance model: weights and bias are required');
  for (const [name, row] of Object.entries(o.weights))
    for (const [c, v] of Object.entries(row))
      if (!o.classes.includes(c as Stance) || typeof v !== 'number' || !Number.isFinite(v))
        throw new Error(`stance model: bad weight ${name}/${c}`);
  return o;
}
