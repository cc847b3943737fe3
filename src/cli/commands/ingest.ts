/** `argmap ingest`: read mail sources into the archive. */
import { resolve } from 'node:path';
import type { Command, Io, ParsedArgs } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, list, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { ingest, type IngestSummary } from '../../ingest/pipeline.ts';
import { threadIdsIn } from '../../ingest/extract.ts';
import { readRoots } from '../../ingest/roots.ts';
import { postIngestSteps } from '../../ingest/post.ts';
import type { MboxFlavour } from '../../mail/mbox.ts';

export function printSummary(s: IngestSummary, io: Io): void {
  const n = (x: number): string => x.toLocaleString('en-US');
  for (const src of s.sources) {
    const what =
      src.status === 'unchanged'
        ? 'unchanged since the last run, skipped'
        : src.status === 'failed'
          ? `FAILED: ${src.error}`
          : `${n(src.added)} added, ${n(src.alreadyPresent)} already present, ${n(src.duplicates)} duplicates${src.skipped ? `, ${n(src.skipped)} skipped` : ''}`;
    io.out(`  ${src.kind.padEnd(14)} ${src.location}: ${what}\n`);
  }
  const shown = s.notSources.slice(0, 3);
  for (const ns of shown) io.out(`  not a source   ${ns.location}: ${ns.reason}\n`);
  if (s.notSources.length > shown.length)
    io.out(
      `  … and ${s.notSources.length - shown.length} more files that are not mail sources (--json lists them)\n`,
    );
  io.out(
    `${n(s.added)} messages added, ${n(s.alreadyPresent)} already present, ${n(s.duplicates)} duplicates merged` +
      (s.mergedPages ? `, ${n(s.mergedPages)} archive pages merged into their raw mail` : '') +
      (s.reusedIds ? `, ${n(s.reusedIds)} reused Message-IDs kept apart` : '') +
      '\n',
  );
  const skipped = Object.entries(s.skipped);
  if (skipped.length)
    io.out(`skipped: ${skipped.map(([k, v]) => `${n(v)} ${k}`).join(', ')} (see: argmap problems)\n`);
  if (s.warnings > 0) io.out(`${n(s.warnings)} warnings about damaged input (see: argmap problems)\n`);
  if (s.commits.added || s.commits.updated)
    io.out(`${n(s.commits.added)} commits added, ${n(s.commits.updated)} updated\n`);
  if (s.documents) io.out(`${n(s.documents)} documents added\n`);
  if (s.threads)
    io.out(
      `${n(s.threads.threads)} threads${s.threads.loopsRefused ? `; ${n(s.threads.loopsRefused)} reference loops refused` : ''}\n`,
    );
  const steps = Object.entries(s.steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`);
  io.out(
    `${s.seconds.toFixed(1)} s (reading ${s.readSeconds.toFixed(1)} s${steps.length ? ', ' + steps.join(', ') : ''}), ` +
      `${Math.round(s.messagesPerSecond).toLocaleString('en-US')} messages/s\n`,
  );
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'read mbox, .eml, Maildir, public-inbox, hypermail pages and commits into the archive',
  usage: 'ingest [--db FILE] [--thread MSGID…] [--roots FILE] [--git-range R] [--git-path P…] PATH…',
  description: [
    'Each PATH is recognised by its content: an mbox (mboxrd or mboxo, plain or .gz, e.g. lore t.mbox.gz),',
    'a single message (.eml), a Maildir, a public-inbox v2 git epoch, a hypermail page (text or HTML),',
    'kernel commit text (git log --format=fuller, git format-patch), or a kernel git repository',
    '(with --git-range/--git-path). Other directories are walked and every source in them is read.',
    'Running it again adds only what is new; a killed run is finished by the next one.',
  ].join('\n'),
  examples: [
    ['argmap ingest data', 'ingest the bundled data set into argmap.sqlite'],
    ['argmap ingest --db lkml.sqlite ~/Downloads/t.mbox.gz', 'add a thread downloaded from lore'],
    [
      'argmap ingest --thread 20200909215752.1725525-1-shakeelb@google.com ../shared/archive',
      'take one whole thread out of a large archive',
    ],
    [
      'argmap ingest --git-path mm/memcontrol.c --git-range v5.18..v5.19 ~/src/linux',
      'add the commits that touched mm/memcontrol.c in 5.19',
    ],
    ['argmap ingest --json data | jq .added', 'machine-readable summary'],
  ],
  options: {
    ...dbOption,
    thread: {
      type: 'string',
      multiple: true,
      arg: 'MSGID',
      help: 'only the whole thread(s) of this Message-ID',
    },
    roots: {
      type: 'string',
      arg: 'FILE',
      help: 'only the threads whose roots are listed in FILE (first column of a TSV)',
    },
    'git-range': {
      type: 'string',
      arg: 'RANGE',
      help: 'revision range for a git repository PATH (e.g. v5.18..v5.19)',
    },
    'git-path': {
      type: 'string',
      multiple: true,
      arg: 'PATH',
      help: 'path filter for a git repository PATH',
    },
    'mbox-flavour': { type: 'string', arg: 'F', help: 'mboxrd (default; lore, public-inbox) or mboxo' },
  },
  async run(args: ParsedArgs, io: Io): Promise<number> {
    if (!args.positionals.length) throw new UserError('no PATH given', 'try: argmap ingest data');
    const flavour = str(args, 'mbox-flavour');
    if (flavour !== undefined && flavour !== 'mboxrd' && flavour !== 'mboxo')
      throw new UserError(`--mbox-flavour must be mboxrd or mboxo, got ${JSON.stringify(flavour)}`);
    const dbFile = resolve(io.cwd, str(args, 'db', DEFAULT_DB));
    const db = openDb(dbFile);
    try {
      const roots = list(args, 'thread');
      const rootsFile = str(args, 'roots');
      if (rootsFile) roots.push(...readRoots(resolve(io.cwd, rootsFile)).map((r) => r.messageId));
      let onlyIds: Set<string> | null = null;
      if (roots.length) {
        if (!flag(args, 'json')) io.err(`finding the threads of ${roots.length} root(s)…\n`);
        onlyIds = await threadIdsIn(args.positionals, io.cwd, roots, { isTTY: io.isTTY, err: io.err });
      }
      const summary = await ingest(db, {
        paths: args.positionals,
        cwd: io.cwd,
        gitRange: str(args, 'git-range') ?? null,
        gitPaths: list(args, 'git-path'),
        mboxFlavour: flavour as MboxFlavour | undefined,
        onlyIds,
        progress: flag(args, 'json') ? { isTTY: false, err: io.err } : { isTTY: io.isTTY, err: io.err },
        afterIngest: postIngestSteps(),
      });
      if (flag(args, 'json')) io.out(JSON.stringify({ db: dbFile, ...summary }, null, 2) + '\n');
      else printSummary(summary, io);
      const failed = summary.sources.filter((s) => s.status === 'failed').length;
      if (!summary.sources.length) {
        io.err(`argmap ingest: no mail source found in ${args.positionals.join(', ')}\n`);
        return 1;
      }
      return failed ? 1 : 0;
    } finally {
      db.close();
    }
  },
};
