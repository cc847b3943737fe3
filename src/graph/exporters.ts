/**
 * The graph's entries in `argmap export`'s EXPORTERS: `json`, `aif` and `argdown`, each over a
 * thread (`--thread ID`), a series (`--series ID|TITLE|HASH`) or the whole archive.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Exporter } from '../cli/commands/export.ts';
import { flag, str } from '../cli/command.ts';
import { collectGraph } from './export-json.ts';
import { toAif } from './export-aif.ts';
import { toArgdown } from './export-argdown.ts';

function scopeOf(args: Parameters<Exporter['run']>[1]): { thread?: string; series?: string } {
  return { thread: str(args, 'thread'), series: str(args, 'series') };
}

function emit(
  text: string,
  args: Parameters<Exporter['run']>[1],
  io: Parameters<Exporter['run']>[2],
  what: string,
): void {
  const out = str(args, 'out');
  if (!out) {
    io.out(text.endsWith('\n') ? text : text + '\n');
    return;
  }
  writeFileSync(resolve(io.cwd, out), text);
  if (flag(args, 'json')) io.out(JSON.stringify({ out, what }) + '\n');
  else io.err(`${what} written to ${out}\n`);
}

export const GRAPH_EXPORTERS: Record<string, Exporter> = {
  json: {
    help: 'the argument graph (claims, edges, statuses; --thread or --series to narrow it) as JSON',
    async run(db, args, io) {
      const g = collectGraph(db, scopeOf(args));
      emit(JSON.stringify(g, null, 2), args, io, `${g.claims.length} claims, ${g.edges.length} edges`);
      return 0;
    },
  },
  aif: {
    help: 'the argument graph as AIF JSON with the IAT dialogue layer (AIFdb, OVA)',
    async run(db, args, io) {
      const g = collectGraph(db, scopeOf(args));
      const doc = toAif(g);
      emit(JSON.stringify(doc, null, 1), args, io, `${doc.nodes.length} AIF nodes`);
      return 0;
    },
  },
  argdown: {
    help: 'the argument graph as Argdown (statements per claim, + supports, - attacks)',
    async run(db, args, io) {
      const g = collectGraph(db, scopeOf(args));
      emit(toArgdown(g), args, io, `${g.claims.length} statements`);
      return 0;
    },
  },
};
