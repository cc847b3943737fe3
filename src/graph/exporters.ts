/**
 * The argument graph in formats other tools read: `json` (argmap's own), `aif` (AIFdb, OVA) and
 * `argdown`, each over a thread, a series or the whole archive. Each format renders to text;
 * where the text goes (stdout, a file) is the CLI's business.
 */
import type { Db } from '../store/db.ts';
import { collectGraph } from './export-json.ts';
import { toAif } from './export-aif.ts';
import { toArgdown } from './export-argdown.ts';

/** Which part of the graph to export: one thread, one series, or (neither) everything. */
export interface GraphScope {
  thread?: string;
  series?: string;
}

/** One export format: a help line and a renderer. */
export interface GraphFormat {
  /** One line for `argmap export --help`. */
  help: string;
  /** The document, and a few words saying what it holds (for the "written to" line). */
  render(db: Db, scope: GraphScope): { text: string; what: string };
}

/** The graph's export formats by name. */
export const GRAPH_FORMATS: Record<string, GraphFormat> = {
  json: {
    help: 'the argument graph (claims, edges, statuses; --thread or --series to narrow it) as JSON',
    render(db, scope) {
      const g = collectGraph(db, scope);
      return { text: JSON.stringify(g, null, 2), what: `${g.claims.length} claims, ${g.edges.length} edges` };
    },
  },
  aif: {
    help: 'the argument graph as AIF JSON with the IAT dialogue layer (AIFdb, OVA)',
    render(db, scope) {
      const doc = toAif(collectGraph(db, scope));
      return { text: JSON.stringify(doc, null, 1), what: `${doc.nodes.length} AIF nodes` };
    },
  },
  argdown: {
    help: 'the argument graph as Argdown (statements per claim, + supports, - attacks)',
    render(db, scope) {
      const g = collectGraph(db, scope);
      return { text: toArgdown(g), what: `${g.claims.length} statements` };
    },
  },
};
