/** `argmap build`: write the static site (works from file:// and from any static web server). */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { UserError } from '../../util/errors.ts';
import { openDb } from '../../store/db.ts';
import { SiteBuildError, writeSite } from '../../site/build.ts';

/** Where the site goes unless --out says otherwise. */
export const DEFAULT_OUT = 'site';

export const buildCommand: Command = {
  name: 'build',
  summary: 'write the static site: decision pages, threads, messages, people, search',
  usage: 'build [--db FILE] [--out DIR] [--decisions DIR | --no-decisions] [--base-url URL]',
  description: [
    'The site works opened straight from disk (open DIR/index.html) and from any static web server.',
    'A decision record whose citation does not resolve fails the build, as argmap check would.',
  ].join('\n'),
  examples: [
    ['argmap build', 'build site/ from argmap.sqlite'],
    ['argmap build --db full.sqlite --out /tmp/site', 'build another archive elsewhere'],
    ['argmap build --base-url https://example.org/argmap/', 'absolute links in the Atom feed'],
    [
      'argmap build --db mylist.sqlite --no-decisions',
      'a site of your own archive, without the bundled records',
    ],
  ],
  options: {
    ...dbOption,
    out: {
      type: 'string',
      arg: 'DIR',
      help: `output directory (default: ${DEFAULT_OUT}); replaced as a whole`,
    },
    decisions: { type: 'string', arg: 'DIR', help: 'decision records (default: data/decisions)' },
    'no-decisions': {
      type: 'boolean',
      help: 'build without decision pages (an archive the records do not cite)',
    },
    'base-url': { type: 'string', arg: 'URL', help: 'absolute URL of the site, for the Atom feed' },
  },
  async run(args, io) {
    const dbFile = resolve(io.cwd, str(args, 'db', DEFAULT_DB));
    const out = resolve(io.cwd, str(args, 'out', DEFAULT_OUT));
    const baseUrl = str(args, 'base-url');
    if (baseUrl !== undefined && !/^https?:\/\//.test(baseUrl))
      throw new UserError('--base-url must start with http:// or https://');
    const decisions = str(args, 'decisions');
    const db = openDb(dbFile, { readonly: true });
    const t0 = performance.now();
    try {
      if (decisions !== undefined && flag(args, 'no-decisions'))
        throw new UserError('--decisions and --no-decisions exclude each other');
      const stats = await buildTo(db, out, {
        ...(decisions !== undefined ? { decisionsDir: resolve(io.cwd, decisions) } : {}),
        ...(flag(args, 'no-decisions') ? { decisionsDir: null } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        log: (l) => io.err(`  ${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s  ${l}\n`),
      });
      if (flag(args, 'json')) io.out(JSON.stringify(stats, null, 2) + '\n');
      else
        io.out(
          `wrote ${stats.files.toLocaleString('en-US')} files (${(stats.bytes / 1e6).toFixed(1)} MB) to ${stats.out} in ${stats.seconds.toFixed(1)} s\nopen ${stats.out}/index.html, or: argmap serve --out ${stats.out}\n`,
        );
      return 0;
    } finally {
      db.close();
    }
  },
};

/** writeSite with build errors turned into user errors (a broken citation is the user's to fix). */
export async function buildTo(
  db: Parameters<typeof writeSite>[0],
  out: string,
  opts: Parameters<typeof writeSite>[2],
): ReturnType<typeof writeSite> {
  try {
    return await writeSite(db, out, opts);
  } catch (e) {
    if (e instanceof SiteBuildError)
      throw new UserError(
        e.message,
        'run argmap check for the full list; --no-decisions builds the site without decision pages',
        1,
      );
    throw e;
  }
}
