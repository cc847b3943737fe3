/** `argmap graph build|eval`: rebuild the argument graph, or measure it against the gold labels. */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { buildGraph } from '../../graph/build.ts';
import { recordObjections } from '../../decisions/graph-input.ts';
import { evaluate, type EvalReport, type SplitReport } from '../../graph/eval.ts';

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
  summary: 'rebuild the argument graph, or measure its stance rules and quote resolution on the gold labels',
  usage:
    'graph build [--db FILE]\ngraph eval [--db FILE] [--labels FILE] [--split threads|all] [--errors] [--json]',
  description: [
    '`ingest` keeps the graph up to date; `graph build` rebuilds it from scratch (after editing',
    'data/lexicon.tsv or data/stance-overrides.tsv). `graph eval` compares the rules (never the',
    'overrides) with data/labels/stance.tsv and quotes.tsv and prints the Markdown report that',
    'docs/stance-evaluation.md shows; the archive must hold the labelled messages (argmap ingest data).',
    '--labels scores another label file with the same columns; --split all scores its rows as one',
    'split ("all") instead of the development and held-out threads of stance.tsv.',
  ].join('\n'),
  examples: [
    ['argmap graph build --db argmap.sqlite', 'rebuild segments, claims, edges, series and statuses'],
    [
      'rm -f /tmp/g.sqlite && argmap ingest --db /tmp/g.sqlite data && argmap graph eval --db /tmp/g.sqlite',
      'reproduce docs/stance-evaluation.md',
    ],
    ['argmap graph eval --errors --db /tmp/g.sqlite', 'also list every paragraph the rules got wrong'],
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
  },
  allowPositionals: true,
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub !== 'build' && sub !== 'eval')
      throw new UserError('say graph build or graph eval', 'see: argmap graph --help');
    const file = resolve(io.cwd, str(args, 'db', DEFAULT_DB));
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
    const split = str(args, 'split', 'threads');
    if (split !== 'threads' && split !== 'all')
      throw new UserError(`--split must be threads or all, not ${split}`, 'see: argmap graph --help');
    const labelsArg = str(args, 'labels');
    const labels = labelsArg ? resolve(io.cwd, labelsArg) : undefined;
    if (labels && !existsSync(labels)) throw new UserError(`no such label file: ${labels}`);
    const db = openDb(file, { readonly: true });
    try {
      const r = evaluate(db, undefined, { labels, split });
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
