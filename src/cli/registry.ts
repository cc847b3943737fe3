/** Every `argmap` subcommand, in the order `argmap --help` lists them. One import per command module. */
import type { Command } from './command.ts';
import { startCommand } from './commands/start.ts';
import { ingestCommand } from './commands/ingest.ts';
import { extractCommand } from './commands/extract.ts';
import { exportCommand } from './commands/export.ts';
import { statsCommand, problemsCommand } from './commands/stats.ts';
import { checkCommand } from './commands/check.ts';
import { modelCommand } from './commands/model.ts';
import { threadCommand } from './commands/thread.ts';
import { claimsCommand } from './commands/claims.ts';
import { seriesCommand } from './commands/series.ts';
import { graphCommand } from './commands/graph.ts';
import { buildCommand } from './commands/build.ts';
import { serveCommand } from './commands/serve.ts';
import { searchCommand } from './commands/search.ts';

export const commands: Command[] = [
  startCommand,
  ingestCommand,
  extractCommand,
  exportCommand,
  statsCommand,
  problemsCommand,
  checkCommand,
  modelCommand,
  threadCommand,
  claimsCommand,
  seriesCommand,
  graphCommand,
  buildCommand,
  serveCommand,
  searchCommand,
];
