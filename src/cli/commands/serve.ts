/**
 * `argmap serve`: serve a built site on 127.0.0.1 (for convenience; the site also works from
 * file://), or, with `--db`, render every page on request straight from an archive (for archives
 * too big to build as files).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command, Io, ParsedArgs } from '../command.ts';
import { flag, int, str } from '../command.ts';
import { openDb } from '../../store/db.ts';
import { serveDb } from '../../site/serve-db.ts';
import { SiteBuildError } from '../../site/renderer.ts';
import { UserError } from '../../util/errors.ts';
import { serveSite } from '../../site/serve.ts';
import { DEFAULT_OUT } from './build.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the built site, or any archive page by page, on 127.0.0.1',
  usage: 'serve [--out DIR | --db FILE [--decisions DIR | --no-decisions]] [--port N] [--log]',
  description: [
    'Without --db: serve the files of a built site (argmap build).',
    'With --db: render each page on request from the archive, with the same URLs and bytes as',
    'argmap build, and answer search from the archive (same syntax and ranking as argmap search).',
    'Nothing is written; new mail ingested into the file shows up on the next request.',
  ].join('\n'),
  examples: [
    ['argmap serve', 'serve site/ on a free port and print the address'],
    ['argmap serve --port 8080', 'on a fixed port'],
    ['argmap serve --db whole-list.sqlite', 'a big archive, no build step'],
    ['argmap serve --db archive.sqlite --log', 'and print one line per request with its time'],
    ['argmap serve --db linux-mm.sqlite --no-decisions', 'a list the decision records do not cite'],
  ],
  options: {
    out: { type: 'string', arg: 'DIR', help: `the built site (default: ${DEFAULT_OUT})` },
    db: { type: 'string', arg: 'FILE', help: 'render pages from this archive instead of serving files' },
    port: { type: 'string', arg: 'N', help: 'port (default: 8000; 0 picks a free one)' },
    decisions: { type: 'string', arg: 'DIR', help: 'with --db: decision records (default: data/decisions)' },
    'no-decisions': {
      type: 'boolean',
      help: 'with --db: no decision pages (records cite mail this archive lacks)',
    },
    log: { type: 'boolean', help: 'with --db: one line per request (path, status, milliseconds) on stderr' },
  },
  async run(args, io) {
    if (args.values.db !== undefined) return serveArchive(args, io);
    const dir = resolve(io.cwd, str(args, 'out', DEFAULT_OUT));
    if (!existsSync(join(dir, 'index.html')))
      throw new UserError(`no site in ${dir}`, 'build one with: argmap build');
    const port = int(args, 'port', 8000, 0, 65535);
    let s;
    try {
      s = await serveSite(dir, port);
    } catch (e) {
      throw new UserError(`cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`, 'try --port 0');
    }
    if (flag(args, 'json')) io.out(JSON.stringify({ url: s.url, dir }) + '\n');
    else io.out(`serving ${dir} at ${s.url}  (Ctrl-C stops)\n`);
    await waitForSignal();
    await s.close();
    return 0;
  },
};

/** `serve --db`: render pages from the archive on request. */
async function serveArchive(args: ParsedArgs, io: Io): Promise<number> {
  if (args.values.out !== undefined) throw new UserError('give --db or --out, not both');
  const file = resolve(io.cwd, str(args, 'db', ''));
  const port = int(args, 'port', 8000, 0, 65535);
  const db = openDb(file, { readonly: true });
  let s;
  try {
    const decisions = str(args, 'decisions');
    if (decisions !== undefined && flag(args, 'no-decisions'))
      throw new UserError('--decisions and --no-decisions exclude each other');
    s = await serveDb(db, {
      port,
      log: flag(args, 'log') ? (l) => io.err(l + '\n') : undefined,
      ...(decisions !== undefined ? { decisionsDir: resolve(io.cwd, decisions) } : {}),
      ...(flag(args, 'no-decisions') ? { decisionsDir: null } : {}),
    });
  } catch (e) {
    db.close();
    if (e instanceof SiteBuildError)
      throw new UserError(
        e.message,
        'run argmap check for the full list; --no-decisions serves without decision pages',
      );
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || (e as NodeJS.ErrnoException).code === 'EACCES')
      throw new UserError(`cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`, 'try --port 0');
    if (/no current search index/.test((e as Error).message))
      throw new UserError(`${file} has no current search index`, `run: argmap ingest --db ${file}`);
    throw e;
  }
  if (flag(args, 'json')) io.out(JSON.stringify({ url: s.url, db: file }) + '\n');
  else io.out(`serving ${file} at ${s.url}  (pages rendered on request; Ctrl-C stops)\n`);
  await waitForSignal();
  await s.close();
  db.close();
  return 0;
}

/** Resolve on SIGINT/SIGTERM. */
export function waitForSignal(): Promise<void> {
  return new Promise((r) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      r();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
