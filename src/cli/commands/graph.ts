/** `argmap graph build|eval|train`: rebuild the argument graph, measure it against the gold labels, or train the stance model. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { buildGraph } from '../../graph/build.ts';
import { recordObjections } from '../../decisions/graph-input.ts';
import { evaluate, type EvalReport, type SplitReport } from '../../graph/eval.ts';
import { evaluateLifecycle } from '../../graph/eval-lifecycle.ts';
import {
  collectExamples,
  crossValidate,
  labelledKeys,
  DEFAULT_TRAIN,
  labelledExamples,
  trainModel,
  type CvReport,
} from '../../graph/train.ts';
import { STANCE_MODEL_PATH, writeStanceModel } from '../../graph/stance-model-file.ts';
import { reliabilitySvg } from '../../graph/reliability-svg.ts';

/**
 * The label files the shipped model is trained on. The blind sets (stance-blind-*.tsv) are
 * deliberately absent: they measure the model on threads it never saw (docs/stance-evaluation.md).
 */
export const TRAIN_LABELS = [
  'stance.tsv',
  'stance-heldout-2.tsv',
  'stance-heldout-3.tsv',
  'stance-heldout-4.tsv',
].map((f) => 'data/labels/' + f);

const pct = (x: number | null): string => (x === null ? '–' : (100 * x).toFixed(1));

function splitTable(s: SplitReport): string[] {
  const out = [
    `**${s.split}**: ${s.rows} paragraphs, accuracy ${pct(s.accuracy)} %, macro-F1 ${pct(s.macroF1)} (majority class "${s.majorityBaseline.stance}": ${pct(s.majorityBaseline.accuracy)} %)`,
    '',
    '| stance | gold | predicted | correct | precision % | recall % | F1 |',
    '| --- | --: | --: | --: | --: | --: | --: |',
  ];
  for (const p of s.perStance)
    if (p.gold || p.predicted)
      out.push(
        `| ${p.stance} | ${p.gold} | ${p.predicted} | ${p.correct} | ${pct(p.precision)} | ${pct(p.recall)} | ${p.f1 === null ? '–' : p.f1.toFixed(2)} |`,
      );
  return out;
}

function confusion(s: SplitReport): string[] {
  const labels = s.perStance.filter((p) => p.gold || p.predicted).map((p) => p.stance);
  const short = (x: string): string => x.replace('proposes-alternative', 'alt').replace('objects-to', 'obj');
  const out = [
    `| gold ↓ / rules → | ${labels.map(short).join(' | ')} |`,
    `| --- | ${labels.map(() => '--:').join(' | ')} |`,
  ];
  for (const g of labels) out.push(`| ${g} | ${labels.map((p) => s.confusion[g]?.[p] ?? 0).join(' | ')} |`);
  return out;
}

/** The outline's stances per message against the labels, as Markdown lines. */
function messageLevel(m: EvalReport['messages']): string[] {
  const p = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '–');
  return [
    `${m.messages} labelled messages. Stances shown: ${m.shown}, of which ${m.shownInLabels} (${p(m.shownInLabels, m.shown)}) ` +
      `are among the message's labels; its most frequent labelled stance is shown for ${m.topLabelShown} of ` +
      `${m.withTopLabel} (${p(m.topLabelShown, m.withTopLabel)}); "objects" is shown for ${m.objectsShown} messages, ` +
      `${m.objectsInLabels} (${p(m.objectsInLabels, m.objectsShown)}) of them with a paragraph labelled objects-to.`,
  ];
}

/** The cross-validation report as Markdown: model and rules on the same folds. */
export function cvMarkdown(
  r: CvReport,
  curve: { fraction: number; paragraphs: number; accuracy: number }[],
): string {
  const lines = [
    `## Thread-grouped cross-validation (${r.folds} folds, ${r.paragraphs} paragraphs, ${r.groups.flat().length} threads)`,
    '',
    '| | accuracy % | macro-F1 | objects-to P % | objects-to R % |',
    '| --- | --: | --: | --: | --: |',
  ];
  for (const [name, s] of [
    ['model', r.model],
    ['rules', r.rules],
  ] as const) {
    const o = s.perStance.find((p) => p.stance === 'objects-to');
    lines.push(
      `| ${name} | ${pct(s.accuracy)} | ${pct(s.macroF1)} | ${pct(o?.precision ?? null)} | ${pct(o?.recall ?? null)} |`,
    );
  }
  lines.push(
    '',
    '### Model',
    '',
    ...splitTable(r.model),
    '',
    ...confusion(r.model).map((l) => l.replace('rules →', 'model →')),
  );
  lines.push('', '### Rules on the same paragraphs', '', ...splitTable(r.rules));
  lines.push(
    '',
    `Calibration: softmax temperature ${r.temperature} fitted on the held-out folds; expected calibration error ${r.eceBefore.toFixed(3)} before, ${r.eceAfter.toFixed(3)} after.`,
  );
  if (curve.length) {
    lines.push(
      '',
      '| training share | training paragraphs per fold (mean) | accuracy % |',
      '| --: | --: | --: |',
    );
    for (const c of curve) lines.push(`| ${c.fraction} | ${c.paragraphs} | ${pct(c.accuracy)} |`);
  }
  return lines.join('\n') + '\n';
}

/** The evaluation as Markdown (what docs/stance-evaluation.md quotes). */
export function evalMarkdown(r: EvalReport): string {
  const q = r.quotes;
  const one = r.split === 'all';
  const lines = [
    '## Stance rules (paragraphs, without overrides)',
    '',
    `Labels: ${r.labelsFile}; ${one ? 'every row scored as one split ("all")' : 'development and held-out threads scored apart and together'}.`,
    '',
    ...(one
      ? [...splitTable(r.paragraphs.all), '', '### Confusion matrix', '', ...confusion(r.paragraphs.all), '']
      : [
          ...splitTable(r.paragraphs.dev),
          '',
          ...splitTable(r.paragraphs.heldout),
          '',
          ...splitTable(r.paragraphs.all),
          '',
          '### Confusion matrix, development split',
          '',
          ...confusion(r.paragraphs.dev),
          '',
          '### Confusion matrix, held-out split',
          '',
          ...confusion(r.paragraphs.heldout),
          '',
        ]),
    '### Message level (the thread outline)',
    '',
    ...messageLevel(r.messages),
    '',
    '### Trailer lines',
    '',
    ...splitTable(r.trailers),
    '',
    '### Rules: how often each fired and was right',
    '',
    ...(one
      ? [
          '| rule | fired | right % |',
          '| --- | --: | --: |',
          ...Object.entries(r.rules)
            .sort()
            .map(([k, v]) => `| ${k} | ${v.fired} | ${pct(v.fired ? v.correct / v.fired : null)} |`),
        ]
      : [
          '| rule | dev fired | dev right % | held-out fired | held-out right % |',
          '| --- | --: | --: | --: | --: |',
          ...Object.entries(r.rules)
            .sort()
            .map(
              ([k, v]) =>
                `| ${k} | ${v.fired} | ${pct(v.fired ? v.correct / v.fired : null)} | ${v.heldoutFired} | ${pct(v.heldoutFired ? v.heldoutCorrect / v.heldoutFired : null)} |`,
            ),
        ]),
    '',
    `Alignment: ${r.alignment.matched} of ${r.alignment.labelled} labelled rows found with the same 60-character prefix` +
      (r.alignment.prefixMismatch.length
        ? `; prefix differs: ${r.alignment.prefixMismatch.join(', ')}`
        : '') +
      (r.alignment.missing.length ? `; missing: ${r.alignment.missing.join(', ')}` : '') +
      '.',
    '',
    '## Quote resolution',
    '',
    `${q.correct} of ${q.blocks} labelled quote blocks resolved to the labelled source message: **${pct(q.accuracy)} %** ` +
      `(${q.unresolved} unresolved; ${q.skipped} labelled blocks not found in the archive copy). Baseline "the ancestor depth steps up the In-Reply-To chain": ${pct(q.depthBaseline.accuracy)} %.`,
    '',
    '| case (from the label notes) | blocks | correct | % |',
    '| --- | --: | --: | --: |',
    ...Object.entries(q.byCase).map(
      ([k, v]) => `| ${k} | ${v.blocks} | ${v.correct} | ${pct(v.correct / v.blocks)} |`,
    ),
    '',
    '| depth | blocks | correct | % |',
    '| --- | --: | --: | --: |',
    ...Object.entries(q.byDepth).map(
      ([k, v]) => `| ${k} | ${v.blocks} | ${v.correct} | ${pct(v.correct / v.blocks)} |`,
    ),
    '',
    ...(q.misses.length
      ? [
          'Misses:',
          '',
          ...q.misses.map(
            (m) =>
              `- \`${m.messageId}\` block ${m.block}: labelled \`${m.gold}\`, resolved \`${m.predicted ?? '(none)'}\` (${m.method ?? '–'}) — ${m.note}`,
          ),
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}

export const graphCommand: Command = {
  name: 'graph',
  summary:
    'rebuild the argument graph, measure its stances and quote resolution on the gold labels, or train the stance model',
  usage:
    'graph build [--db FILE]\ngraph eval [--db FILE] [--labels FILE] [--split threads|all] [--use rules|model] [--errors] [--json]\n' +
    'graph train [--db FILE] [--labels FILE,FILE] [--out FILE] [--folds N] [--dry-run] [--json]',
  description: [
    '`ingest` keeps the graph up to date; `graph build` rebuilds it from scratch (after editing',
    'data/lexicon.tsv or data/stance-overrides.tsv). `graph eval` compares the rules (never the',
    'overrides) with data/labels/stance.tsv and quotes.tsv and prints the Markdown report that',
    'docs/stance-evaluation.md shows; the archive must hold the labelled messages (argmap ingest data).',
    '--labels scores another label file with the same columns; --split all scores its rows as one',
    'split ("all") instead of the development and held-out threads of stance.tsv; --use model scores',
    "the learned model's stances instead of the rules'.",
    '`graph train` collects every labelled paragraph of the archive (stance.tsv and the three',
    'held-out files; never the blind sets), reports thread-grouped cross-validation of the model',
    'beside the rules, fits the calibration temperature on the held-out folds, writes the weights',
    '(data/stance-model.json) and the reliability diagram (docs/images/stance-calibration.svg; with --out, FILE.calibration.svg), and',
    'rebuilds the graph with the new model. --dry-run reports without writing anything.',
  ].join('\n'),
  examples: [
    ['argmap graph build --db argmap.sqlite', 'rebuild segments, claims, edges, series and statuses'],
    [
      'rm -f /tmp/g.sqlite && argmap ingest --db /tmp/g.sqlite data && argmap graph eval --db /tmp/g.sqlite',
      'reproduce docs/stance-evaluation.md',
    ],
    ['argmap graph eval --errors --db /tmp/g.sqlite', 'also list every paragraph the rules got wrong'],
    ['argmap graph train --db /tmp/g.sqlite', 'retrain data/stance-model.json from data/labels (about 10 s)'],
    [
      'argmap graph eval --db /tmp/g.sqlite --labels data/labels/stance-blind-5a.tsv --split all --use model',
      "score the model's stances on a blind set",
    ],
    [
      'argmap graph eval --db /tmp/b.sqlite --lifecycle data/labels/lifecycle-blind-5a.tsv',
      'how many labelled objections got the right ending and closing message',
    ],
    [
      'argmap graph eval --db /tmp/g.sqlite --labels data/labels/other.tsv --split all',
      'score another label file as one split',
    ],
  ],
  options: {
    ...dbOption,
    errors: { type: 'boolean', help: 'eval: list every mismatching paragraph with the rule that fired' },
    labels: {
      type: 'string',
      arg: 'FILE',
      help: 'eval: stance label file to score (default data/labels/stance.tsv)',
    },
    split: {
      type: 'string',
      arg: 'MODE',
      help: 'eval: threads (development and held-out threads apart, the default) or all (one split)',
    },
    lifecycle: {
      type: 'string',
      arg: 'FILE',
      help: 'eval: score how objections ended against a lifecycle label file (data/labels/lifecycle-*.tsv)',
    },
    use: { type: 'string', arg: 'WHAT', help: 'eval: rules (default) or model: whose stances to score' },
    out: {
      type: 'string',
      arg: 'FILE',
      help: 'train: weights file to write (default data/stance-model.json)',
    },
    folds: { type: 'string', arg: 'N', help: 'train: cross-validation folds (default 5)' },
    'dry-run': { type: 'boolean', help: 'train: report only, write nothing' },
  },
  allowPositionals: true,
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub !== 'build' && sub !== 'eval' && sub !== 'train')
      throw new UserError('say graph build, graph eval or graph train', 'see: argmap graph --help');
    const file = resolve(io.cwd, str(args, 'db', DEFAULT_DB));
    if (sub === 'train') return train(file, args, io);
    if (sub === 'build') {
      const db = openDb(file, { mustExist: true });
      try {
        const s = buildGraph(db, { added: null, records: recordObjections() });
        if (flag(args, 'json')) io.out(JSON.stringify(s, null, 2) + '\n');
        else
          io.out(
            `${s.threads} threads, ${s.messages} messages: ${s.segments} segments, ${s.claims} claims, ${s.edges} edges; ` +
              `${s.series?.series ?? 0} series; ${s.commitLinks} commit links; ${(s.ms.total / 1000).toFixed(1)} s\n`,
          );
        return 0;
      } finally {
        db.close();
      }
    }
    const lifecycleFile = str(args, 'lifecycle');
    if (lifecycleFile) {
      const lf = resolve(io.cwd, lifecycleFile);
      if (!existsSync(lf)) throw new UserError(`no such label file: ${lf}`);
      const db = openDb(file, { readonly: true });
      try {
        const r = evaluateLifecycle(db, lf);
        if (flag(args, 'json')) io.out(JSON.stringify(r, null, 2) + '\n');
        else {
          const n = r.labelled - r.missing;
          io.out(
            `${r.labelled} labelled objections (${r.missing} not in this archive); the graph does not treat ${r.notObjection} as objections.\n` +
              `Right ending: ${r.endingRight} of ${n} (${pct(n ? r.endingRight / n : null)} %); right ending and closing message: ${r.bothRight} (${pct(n ? r.bothRight / n : null)} %).\n\n` +
              '| labelled ↓ / graph → | count |\n| --- | --- |\n',
          );
          for (const [g, row] of Object.entries(r.confusion))
            io.out(
              `| ${g} | ${Object.entries(row)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')} |\n`,
            );
        }
        return 0;
      } finally {
        db.close();
      }
    }
    const split = str(args, 'split', 'threads');
    if (split !== 'threads' && split !== 'all')
      throw new UserError(`--split must be threads or all, not ${split}`, 'see: argmap graph --help');
    const labelsArg = str(args, 'labels');
    const labels = labelsArg ? resolve(io.cwd, labelsArg) : undefined;
    if (labels && !existsSync(labels)) throw new UserError(`no such label file: ${labels}`);
    const db = openDb(file, { readonly: true });
    try {
      const use = str(args, 'use', 'rules');
      if (use !== 'rules' && use !== 'model')
        throw new UserError(`--use must be rules or model, not ${use}`, 'see: argmap graph --help');
      const r = evaluate(db, undefined, { labels, split, use });
      r.labelsFile = relative(io.cwd, r.labelsFile);
      if (!r.alignment.matched)
        throw new UserError(
          'none of the labelled messages is in this archive',
          'build one with: argmap ingest --db FILE data',
        );
      if (flag(args, 'json')) {
        io.out(JSON.stringify(r, null, 2) + '\n');
        return 0;
      }
      io.out(evalMarkdown(r));
      if (flag(args, 'errors')) {
        io.out(
          '\n## Mismatches\n\n| split | key | gold | rules | rule | prefix |\n| --- | --- | --- | --- | --- | --- |\n',
        );
        for (const e of r.errors)
          io.out(
            `| ${e.split} | ${e.messageId}#p${e.para} | ${e.gold} | ${e.predicted} | ${e.reason.replace(/\|/g, '\\|')} | ${e.prefix.replace(/\|/g, '\\|')} |\n`,
          );
      }
      return 0;
    } finally {
      db.close();
    }
  },
};

/** `graph train`: cross-validate, calibrate, write the weights and the diagram, rebuild the graph. */
function train(file: string, args: Parameters<Command['run']>[0], io: Parameters<Command['run']>[1]): number {
  const labelArg = str(args, 'labels');
  const root = resolve(dirname(STANCE_MODEL_PATH), '..');
  const files = labelArg
    ? labelArg.split(',').map((f) => resolve(io.cwd, f))
    : TRAIN_LABELS.map((f) => resolve(root, f));
  for (const f of files) if (!existsSync(f)) throw new UserError(`no such label file: ${f}`);
  const folds = Number(str(args, 'folds', '5'));
  if (!Number.isInteger(folds) || folds < 2)
    throw new UserError(`--folds must be an integer >= 2, not ${str(args, 'folds')}`);
  const dry = flag(args, 'dry-run');
  const out = resolve(io.cwd, str(args, 'out', STANCE_MODEL_PATH));
  const db = openDb(file, { mustExist: true });
  try {
    io.err('collecting labelled paragraphs (rebuilding the graph with the rules alone)…\n');
    const all = collectExamples(db, labelledKeys(files));
    const { examples, missing } = labelledExamples(db, all, files);
    if (examples.length < 20)
      throw new UserError(
        `only ${examples.length} labelled paragraphs are in this archive`,
        'build one with: argmap ingest --db FILE data',
      );
    const groups = new Set(examples.map((e) => e.group)).size;
    if (groups < folds)
      throw new UserError(`${groups} labelled threads cannot fill ${folds} folds`, 'use a smaller --folds');
    io.err(
      `${examples.length} paragraphs of ${groups} threads (${missing.length} label rows not found); cross-validating…\n`,
    );
    const cv = crossValidate(examples, folds, DEFAULT_TRAIN);
    const curve: { fraction: number; paragraphs: number; accuracy: number }[] = [];
    for (const fraction of [0.25, 0.5, 0.75]) {
      const c = crossValidate(examples, folds, DEFAULT_TRAIN, fraction);
      curve.push({
        fraction,
        paragraphs: Math.round((fraction * examples.length * (folds - 1)) / folds),
        accuracy: c.model.accuracy,
      });
    }
    curve.push({
      fraction: 1,
      paragraphs: Math.round((examples.length * (folds - 1)) / folds),
      accuracy: cv.model.accuracy,
    });
    const summary = {
      labels: files.map((f) => relative(root, f)),
      cv: {
        folds,
        paragraphs: cv.paragraphs,
        accuracy: cv.model.accuracy,
        macroF1: cv.model.macroF1,
        rulesAccuracy: cv.rules.accuracy,
        rulesMacroF1: cv.rules.macroF1,
        eceBefore: cv.eceBefore,
        eceAfter: cv.eceAfter,
      },
    };
    const model = trainModel(examples, cv.temperature, summary, DEFAULT_TRAIN);
    if (!dry) {
      writeStanceModel(model, out);
      // the diagram in docs/ describes the shipped model only; another --out gets its own next to it
      const svg =
        out === STANCE_MODEL_PATH
          ? resolve(root, 'docs/images/stance-calibration.svg')
          : out.replace(/(\.json)?$/, '.calibration.svg');
      mkdirSync(dirname(svg), { recursive: true });
      writeFileSync(
        svg,
        reliabilitySvg(
          cv.reliability,
          `Stance model, ${folds}-fold thread-grouped CV: ECE ${cv.eceBefore.toFixed(3)} → ${cv.eceAfter.toFixed(3)} (T=${cv.temperature})`,
        ),
      );
      io.err(
        `wrote ${relative(io.cwd, out)} (${Object.keys(model.weights).length} features) and ${relative(io.cwd, svg)}\n`,
      );
    }
    // collecting rebuilt the graph with the rules alone: put back the model the archive uses
    // (the new one when it was written to the default place)
    io.err('rebuilding the graph with the current stance model…\n');
    buildGraph(db, { added: null, records: recordObjections() });
    if (flag(args, 'json')) {
      const { predictions: _p, ...rest } = cv;
      io.out(
        JSON.stringify(
          {
            ...rest,
            curve,
            missing: missing.length,
            features: Object.keys(model.weights).length,
            wrote: dry ? null : out,
          },
          null,
          2,
        ) + '\n',
      );
    } else io.out(cvMarkdown(cv, curve));
    return 0;
  } finally {
    db.close();
  }
}
