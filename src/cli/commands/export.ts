/**
 * `argmap export`: the archive in formats other tools read. `mbox` is built in; other formats
 * (argument maps, decision records) register an exporter in EXPORTERS.
 */
import { resolve } from 'node:path';
import type { Command, Io, ParsedArgs } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb, type Db } from '../../store/db.ts';
import { exportMbox } from '../../store/export-mbox.ts';
import { GRAPH_FORMATS } from '../../graph/exporters.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRecords } from '../../decisions/record.ts';
import { toMadr } from '../../decisions/madr.ts';
import { PROJECT_ROOT } from '../../site/bundle.ts';

export interface Exporter {
  /** One line for --help. */
  help: string;
  run(db: Db, args: ParsedArgs, io: Io): Promise<number>;
}

/** Print an exported document on stdout, or write it to --out and say so. */
function emit(text: string, args: ParsedArgs, io: Io, what: string): void {
  const out = str(args, 'out');
  if (!out) {
    io.out(text.endsWith('\n') ? text : text + '\n');
    return;
  }
  writeFileSync(resolve(io.cwd, out), text);
  if (flag(args, 'json')) io.out(JSON.stringify({ out, what }) + '\n');
  else io.err(`${what} written to ${out}\n`);
}

const graphExporters: Record<string, Exporter> = Object.fromEntries(
  Object.entries(GRAPH_FORMATS).map(([name, f]) => [
    name,
    {
      help: f.help,
      async run(db, args, io) {
        const { text, what } = f.render(db, { thread: str(args, 'thread'), series: str(args, 'series') });
        emit(text, args, io, what);
        return 0;
      },
    } satisfies Exporter,
  ]),
);

export const EXPORTERS: Record<string, Exporter> = {
  ...graphExporters,
  madr: {
    help: 'decision records as MADR 4.0 files (--out DIR; citations become lore.kernel.org links)',
    async run(_db, args, io) {
      const out = str(args, 'out');
      if (!out) throw new UserError('--format madr writes one file per record: give --out DIR');
      const dir = resolve(io.cwd, str(args, 'decisions') ?? join(PROJECT_ROOT, 'data', 'decisions'));
      const outDir = resolve(io.cwd, out);
      mkdirSync(outDir, { recursive: true });
      const records = readRecords(dir);
      const files: string[] = [];
      records.forEach((r, i) => {
        const f = join(outDir, `${String(i + 1).padStart(4, '0')}-${r.slug}.md`);
        writeFileSync(f, toMadr(r));
        files.push(f);
      });
      if (flag(args, 'json')) io.out(JSON.stringify({ format: 'madr', files }, null, 2) + '\n');
      else io.err(`${files.length} MADR records written to ${out}\n`);
      return 0;
    },
  },
  mbox: {
    help: 'mboxrd: every message byte for byte (or --thread, or --source to reproduce one source)',
    async run(db, args, io) {
      const out = str(args, 'out');
      const n = await exportMbox(db, out ? resolve(io.cwd, out) : process.stdout, {
        thread: str(args, 'thread'),
        source: str(args, 'source'),
      });
      if (out) {
        if (flag(args, 'json')) io.out(JSON.stringify({ format: 'mbox', out, messages: n }) + '\n');
        else io.err(`${n} messages written to ${out}\n`);
      }
      return 0;
    },
  },
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the archive as mboxrd, or the argument graph and decisions for other tools',
  usage: 'export [--db FILE] (--mbox | --format F) [--thread ID] [--source LOC] [--out FILE]',
  examples: [
    [
      'argmap export --mbox --out all.mbox',
      'every message as mboxrd (re-ingesting it gives the same archive)',
    ],
    [
      'argmap export --mbox --source data/corpus/threads/reclaim-2020.mbox --out copy.mbox',
      'reproduce one ingested source byte for byte',
    ],
    [
      'argmap export --mbox --thread 20200909215752.1725525-1-shakeelb@google.com > t.mbox',
      'one thread, like lore t.mbox',
    ],
  ],
  options: {
    ...dbOption,
    mbox: { type: 'boolean', help: 'same as --format mbox' },
    format: { type: 'string', arg: 'F', help: 'output format (see below)' },
    thread: { type: 'string', arg: 'ID', help: 'only this thread (a thread id or any Message-ID in it)' },
    series: {
      type: 'string',
      arg: 'ID',
      help: 'graph formats: only this series (id, Message-ID, commit or title words)',
    },
    source: { type: 'string', arg: 'LOC', help: 'mbox: reproduce the source ingested from LOC' },
    out: {
      type: 'string',
      arg: 'FILE',
      help: 'write to FILE (or a directory, for multi-file formats) instead of stdout',
    },
  },
  get description() {
    return (
      'Formats:\n' +
      Object.entries(EXPORTERS)
        .map(([k, e]) => `  ${k.padEnd(10)}${e.help}`)
        .join('\n')
    );
  },
  async run(args, io) {
    const format = flag(args, 'mbox') ? 'mbox' : str(args, 'format');
    if (!format)
      throw new UserError('say what to export: --mbox or --format ' + Object.keys(EXPORTERS).join('|'));
    const exp = EXPORTERS[format];
    if (!exp)
      throw new UserError(
        `unknown format ${JSON.stringify(format)}; valid: ${Object.keys(EXPORTERS).join(', ')}`,
      );
    const db = openDb(resolve(io.cwd, str(args, 'db', DEFAULT_DB)), { readonly: true });
    try {
      return await exp.run(db, args, io);
    } finally {
      db.close();
    }
  },
};
