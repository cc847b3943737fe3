/**
 * `argmap start` (what `npm start` runs): ingest the bundled data set, then (once the site exists)
 * build and serve it. Re-running is fast: unchanged sources are skipped.
 */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { dbOption, DEFAULT_DB, flag, str } from '../command.ts';
import { openDb } from '../../store/db.ts';
import { ingest } from '../../ingest/pipeline.ts';
import { postIngestSteps } from '../../ingest/post.ts';
import { PROJECT_ROOT } from '../../site/bundle.ts';
import { printSummary } from './ingest.ts';
import { displayPath } from '../../ingest/detect.ts';
import { archiveStats } from './stats.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'ingest the bundled data (data/) into the archive and show what it holds',
  usage: 'start [--db FILE] [--data DIR]',
  examples: [['argmap start', 'what npm start runs']],
  options: {
    ...dbOption,
    data: { type: 'string', arg: 'DIR', help: 'data directory to ingest (default: the bundled data/)' },
  },
  async run(args, io) {
    const dbFile = resolve(io.cwd, str(args, 'db', DEFAULT_DB));
    const data = str(args, 'data') ?? displayPath(resolve(PROJECT_ROOT, 'data'), io.cwd);
    const db = openDb(dbFile);
    try {
      io.err(`ingesting ${data} into ${dbFile}\n`);
      const s = await ingest(db, {
        paths: [data],
        cwd: io.cwd,
        progress: { isTTY: io.isTTY, err: io.err },
        afterIngest: postIngestSteps(),
      });
      if (flag(args, 'json')) {
        io.out(JSON.stringify({ db: dbFile, ingest: s, archive: archiveStats(db) }, null, 2) + '\n');
        return 0;
      }
      printSummary(s, io);
      const a = archiveStats(db);
      io.out(
        `\nThe archive holds ${a.messages.toLocaleString('en-US')} messages in ${a.threads} threads, ${a.commits} commits.\n`,
      );
      io.out(
        `Try: npx argmap stats   ·   npx argmap export --mbox --thread 20200909215752.1725525-1-shakeelb@google.com\n`,
      );
      return 0;
    } finally {
      db.close();
    }
  },
};
