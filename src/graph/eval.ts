/**
 * Measuring the graph against the hand-labelled gold sets (data/labels, docs/labelling.md):
 * stance precision/recall per stance on a development split and a held-out split, and quote
 * resolution accuracy. Reads the rules' own output (`claim_rows.rule_stance`; with `use: 'model'`
 * the stance model's, `model_stance`), never the curated overrides or the decision records'
 * readings, from an archive that holds the labelled messages (`argmap ingest data`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { leadingStances } from './stance-summary.ts';
import type { Db } from '../store/db.ts';
import { LabelledReads } from './query.ts';
import { classifyLines, quoteDepth, splitLines, stripQuote } from '../mail/owntext.ts';
import { ruleIdOf, STANCES } from './stance.ts';
import { tsvRows } from '../util/tsv.ts';

const DATA = fileURLToPath(new URL('../../data/', import.meta.url));

/**
 * The split, fixed before the rules were written: rules were developed by reading the
 * development threads only; the held-out threads (nodes=, swappiness=) were not read while
 * writing rules and are reported separately.
 */
export const DEV_THREADS = [
  'throttle-2019',
  'async-high-2020',
  'reclaim-2020',
  'resend-2022',
  'demote-discussion-2023',
];
export const HELDOUT_THREADS = [
  'nodes-rfc-2022',
  'nodes-v3-2022',
  'nodes-revert-2022',
  'swappiness-2023',
  'swappiness-v6-2024',
];

export interface StanceLabel {
  messageId: string;
  para: string;
  prefix: string;
  stance: string;
  note: string;
  thread: string;
}

export interface QuoteLabel {
  messageId: string;
  block: number;
  depth: number;
  prefix: string;
  source: string;
  note: string;
  thread: string;
}

/** Thread label of each corpus message (from data/corpus/INDEX.tsv file names). */
export function corpusThreads(dataDir = DATA): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(dataDir + 'corpus/INDEX.tsv', 'utf8').split('\n')) {
    const f = line.split('\t');
    const m = /^text\/\d+-\d+-(.+?-\d{4})-/.exec(f[0] ?? '');
    if (m && f[5]) out.set(f[5].replace(/^<|>$/g, ''), m[1]!);
  }
  return out;
}

/** The stance labels of `file` (default data/labels/stance.tsv; any file with the same columns). */
export function stanceLabels(dataDir = DATA, file = dataDir + 'labels/stance.tsv'): StanceLabel[] {
  const th = corpusThreads(dataDir);
  return tsvRows(file).map((f) => ({
    messageId: f[0]!,
    para: f[1]!,
    prefix: f[2] ?? '',
    stance: f[3]!,
    note: f[4] ?? '',
    thread: th.get(f[0]!) ?? '?',
  }));
}

export function quoteLabels(dataDir = DATA): QuoteLabel[] {
  const th = corpusThreads(dataDir);
  return tsvRows(dataDir + 'labels/quotes.tsv').map((f) => ({
    messageId: f[0]!,
    block: Number(f[1]),
    depth: Number(f[2]),
    prefix: f[3] ?? '',
    source: f[4] ?? '',
    note: f[5] ?? '',
    thread: th.get(f[0]!) ?? '?',
  }));
}

export interface PerStance {
  stance: string;
  gold: number;
  predicted: number;
  correct: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface SplitReport {
  split: string;
  rows: number;
  accuracy: number;
  macroF1: number;
  majorityBaseline: { stance: string; accuracy: number };
  perStance: PerStance[];
  /** confusion[gold][predicted] = count */
  confusion: Record<string, Record<string, number>>;
}

/**
 * How labelled paragraphs are split: `threads` scores DEV_THREADS and HELDOUT_THREADS apart (the
 * original frozen split of stance.tsv) and together; `all` scores every row of the file as one
 * split, "all" (for a label file that is wholly development data, or wholly held out).
 */
export type SplitMode = 'threads' | 'all';

export interface EvalOptions {
  /** Label file with the columns of data/labels/stance.tsv (default: that file). */
  labels?: string;
  /** Default `threads`. */
  split?: SplitMode;
  /** Score the rules' stance (default) or the learned model's (`claims.model_stance`; trailers stay with the rules). */
  use?: 'rules' | 'model';
}

export interface EvalReport {
  /** The label file scored and how its rows were split. */
  labelsFile: string;
  split: SplitMode;
  paragraphs: { dev: SplitReport; heldout: SplitReport; all: SplitReport };
  trailers: SplitReport;
  alignment: { labelled: number; matched: number; prefixMismatch: string[]; missing: string[] };
  quotes: QuoteReport;
  errors: {
    messageId: string;
    para: string;
    gold: string;
    predicted: string;
    reason: string;
    prefix: string;
    split: string;
  }[];
  /** Per rule, on the development split (split `all`: on every row): how often it fired and how often its stance was right. */
  rules: Record<string, { fired: number; correct: number; heldoutFired: number; heldoutCorrect: number }>;
  /** The thread outline's stances per message, against the message's hand labels. */
  messages: MessageLevel;
}

/**
 * Message level: for each labelled message, the stances the thread outline shows
 * ({@link leadingStances} over its paragraphs' stances from the scored source: the rules, or the model with --use model; never the overrides)
 * paragraphs carry.
 */
export interface MessageLevel {
  messages: number;
  /** Stances shown, and how many of them are among the message's labels. */
  shown: number;
  shownInLabels: number;
  /** Messages whose most frequent labelled stance (one the outline can name) is among those shown. */
  withTopLabel: number;
  topLabelShown: number;
  /** "objects" shown, and how often the message has a paragraph labelled objects-to. */
  objectsShown: number;
  objectsInLabels: number;
}

export interface QuoteReport {
  blocks: number;
  correct: number;
  accuracy: number;
  unresolved: number;
  /** Labelled blocks whose message or block prefix is not in this archive (e.g. a page rendering). */
  skipped: number;
  depthBaseline: { correct: number; accuracy: number };
  byDepth: Record<string, { blocks: number; correct: number }>;
  byCase: Record<string, { blocks: number; correct: number }>;
  misses: {
    messageId: string;
    block: number;
    gold: string;
    predicted: string | null;
    method: string | null;
    note: string;
  }[];
}

/** Score predicted stances against gold ones: accuracy, macro-F1, per-stance P/R/F1 and the confusion matrix. */
export function scoreStances(split: string, pairs: { gold: string; pred: string }[]): SplitReport {
  const confusion: Record<string, Record<string, number>> = {};
  const labels = [...STANCES] as string[];
  for (const l of labels) confusion[l] = Object.fromEntries(labels.map((p) => [p, 0]));
  let correct = 0;
  const goldCount = new Map<string, number>();
  for (const { gold, pred } of pairs) {
    (confusion[gold] ??= {})[pred] = (confusion[gold]![pred] ?? 0) + 1;
    if (gold === pred) correct++;
    goldCount.set(gold, (goldCount.get(gold) ?? 0) + 1);
  }
  const perStance: PerStance[] = labels.map((s) => {
    const g = pairs.filter((p) => p.gold === s).length;
    const pr = pairs.filter((p) => p.pred === s).length;
    const c = pairs.filter((p) => p.gold === s && p.pred === s).length;
    const precision = pr ? c / pr : null;
    const recall = g ? c / g : null;
    const f1 =
      precision !== null && recall !== null && precision + recall > 0
        ? (2 * precision * recall) / (precision + recall)
        : g || pr
          ? 0
          : null;
    return { stance: s, gold: g, predicted: pr, correct: c, precision, recall, f1 };
  });
  const scored = perStance.filter((p) => p.gold > 0);
  const majority = [...goldCount.entries()].sort((a, b) => b[1] - a[1])[0] ?? ['neutral', 0];
  return {
    split,
    rows: pairs.length,
    accuracy: pairs.length ? correct / pairs.length : 0,
    macroF1: scored.length ? scored.reduce((a, p) => a + (p.f1 ?? 0), 0) / scored.length : 0,
    majorityBaseline: { stance: majority[0], accuracy: pairs.length ? majority[1] / pairs.length : 0 },
    perStance,
    confusion,
  };
}

/** Run the evaluation on an archive holding the labelled messages. */
export function evaluate(db: Db, dataDir = DATA, opts: EvalOptions = {}): EvalReport {
  const labelsFile = opts.labels ?? dataDir + 'labels/stance.tsv';
  const mode: SplitMode = opts.split ?? 'threads';
  const labels = stanceLabels(dataDir, labelsFile);
  const reads = new LabelledReads(db);
  const dev = new Set(DEV_THREADS);
  const held = new Set(HELDOUT_THREADS);
  const devPairs: { gold: string; pred: string }[] = [];
  const heldPairs: { gold: string; pred: string }[] = [];
  const trailerPairs: { gold: string; pred: string }[] = [];
  const alignment = { labelled: 0, matched: 0, prefixMismatch: [] as string[], missing: [] as string[] };
  const errors: EvalReport['errors'] = [];
  const rules: EvalReport['rules'] = {};
  const messages: MessageLevel = {
    messages: 0,
    shown: 0,
    shownInLabels: 0,
    withTopLabel: 0,
    topLabelShown: 0,
    objectsShown: 0,
    objectsInLabels: 0,
  };
  const byMsg = new Map<string, StanceLabel[]>();
  for (const l of labels) (byMsg.get(l.messageId) ?? byMsg.set(l.messageId, []).get(l.messageId)!).push(l);
  for (const [mid, rows] of byMsg) {
    const m = reads.message(mid);
    const claims = m ? reads.claims(m.id) : [];
    const buf = m ? Buffer.from(m.body, 'utf8') : Buffer.alloc(0);
    const textOf = (c: { start: number; end: number }): string =>
      buf.subarray(c.start, c.end).toString('utf8');
    const paraLabels = rows.filter((l) => l.para !== 't').map((l) => l.stance);
    if (m && paraLabels.length) {
      const shown = leadingStances(
        claims
          .filter((c) => c.kind === 'para')
          .map((c) => (opts.use === 'model' ? (c.model_stance ?? c.rule_stance) : c.rule_stance)),
      );
      const labelled = new Set(paraLabels);
      const [top] = leadingStances(paraLabels, 1);
      messages.messages++;
      messages.shown += shown.length;
      messages.shownInLabels += shown.filter((x) => labelled.has(x)).length;
      if (top) {
        messages.withTopLabel++;
        if (shown.includes(top)) messages.topLabelShown++;
      }
      if (shown.includes('objects-to')) {
        messages.objectsShown++;
        if (labelled.has('objects-to')) messages.objectsInLabels++;
      }
    }
    let t = 0;
    for (const l of rows) {
      alignment.labelled++;
      const split =
        mode === 'all' ? 'all' : dev.has(l.thread) ? 'dev' : held.has(l.thread) ? 'heldout' : 'other';
      const claim =
        l.para === 't'
          ? claims.filter((c) => c.kind === 'trailer')[t++]
          : claims.find((c) => c.kind === 'para' && c.n === Number(l.para));
      if (!claim) {
        alignment.missing.push(`${mid}#${l.para}`);
        continue;
      }
      const prefix = textOf(claim).replace(/\s+/g, ' ').trim().slice(0, 60);
      if (prefix !== l.prefix) {
        alignment.prefixMismatch.push(`${mid}#${l.para}`);
        continue;
      }
      alignment.matched++;
      const pair = {
        gold: l.stance,
        pred: opts.use === 'model' ? (claim.model_stance ?? claim.rule_stance) : claim.rule_stance,
      };
      if (l.para === 't') trailerPairs.push(pair);
      else if (split === 'dev' || split === 'all') devPairs.push(pair);
      else if (split === 'heldout') heldPairs.push(pair);
      // the id of the rule that fired, also under a model call, an override or a record:
      // "override: … [rules: reply.answer]", "record: … [rules: model: p=0.61 … [rules: reply.question]]"
      const rid = ruleIdOf(claim.stance_reason);
      const rs = (rules[rid] ??= { fired: 0, correct: 0, heldoutFired: 0, heldoutCorrect: 0 });
      if (split === 'heldout' && l.para !== 't') {
        rs.heldoutFired++;
        if (pair.gold === pair.pred) rs.heldoutCorrect++;
      } else {
        rs.fired++;
        if (pair.gold === pair.pred) rs.correct++;
      }
      if (l.para !== 't' && pair.gold !== pair.pred)
        errors.push({
          messageId: mid,
          para: l.para,
          gold: pair.gold,
          predicted: pair.pred,
          reason: claim.stance_reason,
          prefix: l.prefix,
          split,
        });
    }
  }
  return {
    labelsFile,
    split: mode,
    paragraphs: {
      // with split `all`, every row is in `all` (and counted under `fired` in the rule table)
      dev: scoreStances('dev', mode === 'all' ? [] : devPairs),
      heldout: scoreStances('heldout', heldPairs),
      all: scoreStances('all', [...devPairs, ...heldPairs]),
    },
    trailers: scoreStances('trailers', trailerPairs),
    alignment,
    quotes: evaluateQuotes(db, dataDir),
    errors,
    rules,
    messages,
  };
}

/** Gold quote blocks: maximal runs of quote lines of one depth (bare `>` lines included). */
function quoteBlocks(
  body: string,
): { n: number; depth: number; first: number; last: number; prefix: string }[] {
  const lines = splitLines(body);
  const { cls } = classifyLines(lines.text);
  const out: { n: number; depth: number; first: number; last: number; prefix: string; parts: string[] }[] =
    [];
  let cur: (typeof out)[number] | null = null;
  lines.text.forEach((l, i) => {
    if (cls[i] === 'quote' && /^ {0,3}>/.test(l)) {
      const d = quoteDepth(l);
      if (!cur || cur.depth !== d) {
        cur = { n: out.length + 1, depth: d, first: i, last: i, prefix: '', parts: [] };
        out.push(cur);
      }
      cur.last = i;
      cur.parts.push(stripQuote(l).trim());
    } else cur = null;
  });
  return out.map((b) => ({ ...b, prefix: b.parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, 60) }));
}

/** Quote-resolution accuracy on data/labels/quotes.tsv. */
export function evaluateQuotes(db: Db, dataDir = DATA): QuoteReport {
  const labels = quoteLabels(dataDir);
  const reads = new LabelledReads(db);
  const rep: QuoteReport = {
    blocks: 0,
    correct: 0,
    accuracy: 0,
    unresolved: 0,
    skipped: 0,
    depthBaseline: { correct: 0, accuracy: 0 },
    byDepth: {},
    byCase: {},
    misses: [],
  };
  const cache = new Map<string, ReturnType<typeof quoteBlocks>>();
  for (const l of labels) {
    const m = reads.message(l.messageId);
    if (!m) {
      rep.skipped++;
      continue;
    }
    let blocks = cache.get(l.messageId);
    if (!blocks) cache.set(l.messageId, (blocks = quoteBlocks(m.body)));
    const b = blocks.find((x) => x.n === l.block);
    if (!b || b.prefix !== l.prefix) {
      rep.skipped++;
      continue;
    }
    // line offsets → the segments inside the block; the block's source is that of its largest segment
    const lines = splitLines(m.body);
    const byteAt = (i: number): number => Buffer.byteLength(m.body.slice(0, i), 'utf8');
    const from = byteAt(lines.start[b.first]!);
    const to = byteAt(lines.end[b.last]!);
    const inside = reads
      .quoteSpans(m.id)
      .filter((s) => s.start >= from && s.end <= to && s.depth === b.depth);
    const votes = new Map<string, number>();
    let best = 0;
    for (const s of inside) {
      if (!s.source) continue;
      votes.set(s.source, (votes.get(s.source) ?? 0) + (s.end - s.start));
    }
    let predicted: string | null = null;
    for (const [src, w] of votes)
      if (w > best) {
        best = w;
        predicted = src;
      }
    const method = inside.find((s) => s.source === predicted)?.method ?? null;
    // baseline: the ancestor `depth` steps up the In-Reply-To chain
    let a: number | null = m.id;
    for (let k = 0; k < l.depth && a !== null; k++) a = reads.parentOf(a);
    const baseline = a !== null ? (reads.messageIdOf(a) ?? null) : null;
    rep.blocks++;
    const ok = predicted === l.source;
    if (ok) rep.correct++;
    if (!predicted) rep.unresolved++;
    if (baseline === l.source) rep.depthBaseline.correct++;
    const d = String(Math.min(l.depth, 4)) + (l.depth >= 4 ? '+' : '');
    const bd = (rep.byDepth[d] ??= { blocks: 0, correct: 0 });
    bd.blocks++;
    if (ok) bd.correct++;
    for (const c of caseTags(l.note)) {
      const bc = (rep.byCase[c] ??= { blocks: 0, correct: 0 });
      bc.blocks++;
      if (ok) bc.correct++;
    }
    if (!ok)
      rep.misses.push({
        messageId: l.messageId,
        block: l.block,
        gold: l.source,
        predicted,
        method,
        note: l.note,
      });
  }
  rep.accuracy = rep.blocks ? rep.correct / rep.blocks : 0;
  rep.depthBaseline.accuracy = rep.blocks ? rep.depthBaseline.correct / rep.blocks : 0;
  return rep;
}

/** The hard-case categories docs/labelling.md names in the quote notes. */
function caseTags(note: string): string[] {
  const tags: string[] = [];
  const n = note.toLowerCase();
  if (/missing/.test(n)) tags.push('missing original');
  if (/levels? up/.test(n)) tags.push('N levels up');
  if (/snip/.test(n)) tags.push('trimmed with a snip marker');
  if (/re-?wrapped|partial lines/.test(n)) tags.push('re-wrapped or partial');
  if (/patch description/.test(n)) tags.push('quotes the patch description');
  if (/quotes the diff/.test(n)) tags.push('quotes the diff');
  if (/attribution/.test(n)) tags.push('attribution line(s)');
  if (/signature/.test(n)) tags.push('includes a signature');
  if (!tags.length) tags.push('plain');
  return tags;
}
