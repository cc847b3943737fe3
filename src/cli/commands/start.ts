/**
 * `argmap start` (what `npm start` runs): ingest the bundled data set, build the site and serve it
 * on 127.0.0.1, printing the address. Re-running is fast: unchanged sources are skipped.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { openDb } from '../../store/db.ts';
import { ingest } from '../../ingest/pipeline.ts';
import { postIngestSteps } from '../../ingest/post.ts';
import { PROJECT_ROOT } from '../../site/bundle.ts';
import { printSummary } from './ingest.ts';
import { displayPath } from '../../ingest/detect.ts';
import { archiveStats } from '../../store/archive-stats.ts';
import { int } from '../command.ts';
import { buildTo, DEFAULT_OUT } from './build.ts';
import { serveSite } from '../../site/serve.ts';
import { urls } from '../../site/urls.ts';
import { MAIN_DECISION } from '../../site/build.ts';
import { waitForSignal } from './serve.ts';
import { UserError } from '../../util/errors.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'ingest the bundled data (data/), build the site and serve it on 127.0.0.1',
  usage: 'start [--db FILE] [--data DIR] [--out DIR] [--port N] [--no-serve]',
  examples: [
    ['argmap start', 'what npm start runs: prints the address of the decision page'],
    ['argmap start --no-serve', 'ingest and build only (CI)'],
  ],
  options: {
    ...dbOption,
    data: { type: 'string', arg: 'DIR', help: 'data directory to ingest (default: the bundled data/)' },
    out: { type: 'string', arg: 'DIR', help: `where the site is written (default: ${DEFAULT_OUT})` },
    port: { type: 'string', arg: 'N', help: 'port to serve on (default: 8000; 0 picks a free one)' },
    'no-serve': { type: 'boolean', help: 'build the site but do not serve it' },
  },
  async run(args, io) {
    const dbFile = resolve(io.cwd, str(args, 'db', DEFAULT_DB));
    const data = str(args, 'data') ?? displayPath(resolve(PROJECT_ROOT, 'data'), io.cwd);
    // checked before the archive is created: a mistyped --data would otherwise make an empty one
    if (!existsSync(resolve(io.cwd, data)))
      throw new UserError(
        `no data directory ${data}`,
        'give --data DIR, or leave it out for the bundled data/',
      );
    const db = openDb(dbFile);
    try {
      io.err(`ingesting ${data} into ${dbFile}\n`);
      const s = await ingest(db, {
        paths: [data],
        cwd: io.cwd,
        progress: { isTTY: io.isTTY, err: io.err },
        afterIngest: postIngestSteps(),
      });
      const json = flag(args, 'json');
      if (!json) {
        printSummary(s, io);
        const a = archiveStats(db);
        io.out(
          `\nThe archive holds ${a.messages.toLocaleString('en-US')} messages in ${a.threads} threads, ${a.commits} commits.\n`,
        );
      }
      const out = resolve(io.cwd, str(args, 'out', DEFAULT_OUT));
      io.err(`building the site in ${out}\n`);
      const site = await buildTo(db, out, { log: (l) => io.err(`  ${l}\n`) });
      const page = existsSync(join(out, urls.decision(MAIN_DECISION)))
        ? urls.decision(MAIN_DECISION)
        : urls.index();
      if (flag(args, 'no-serve')) {
        if (json)
          io.out(JSON.stringify({ db: dbFile, ingest: s, archive: archiveStats(db), site }, null, 2) + '\n');
        else io.out(`Site: ${site.files.toLocaleString('en-US')} files in ${out}; open ${join(out, page)}\n`);
        return 0;
      }
      const port = int(args, 'port', 8000, 0, 65535);
      let served;
      try {
        served = await serveSite(out, port);
      } catch {
        served = await serveSite(out, 0); // the port is taken: any free one will do
      }
      const url = served.url + page;
      if (json)
        io.out(
          JSON.stringify({ db: dbFile, ingest: s, archive: archiveStats(db), site, url }, null, 2) + '\n',
        );
      else
        io.out(
          `\nThe decision page: ${url}\n(the site also works opened from disk: ${join(out, 'index.html')}; Ctrl-C stops)\n`,
        );
      db.close();
      await waitForSignal();
      await served.close();
      return 0;
    } finally {
      if (db.open) db.close();
    }
  },
};
