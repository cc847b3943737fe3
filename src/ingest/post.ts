/**
 * Steps that run after every ingest that added messages: the argument graph and the search index
 * are derived data, refreshed here so that `argmap ingest` always leaves a complete archive.
 */
import type { Db } from '../store/db.ts';
import { buildGraph, graphStale } from '../graph/build.ts';
import { recordObjections } from '../decisions/graph-input.ts';
import { refreshSearchIndex, searchIndexStale } from '../search/fts.ts';

/** A derived-data step: a name (for timings and progress) and the work. */
export interface PostStep {
  name: string;
  run: (db: Db, added: number[]) => void;
  /**
   * Whether the step's data was made by an older version of its code: then an ingest runs the
   * steps even when it adds nothing, so a new release's rules reach existing archives.
   */
  stale?: (db: Db) => boolean;
}

/** The derived-data steps, in order. Modules register here as they land. */
export function postIngestSteps(): PostStep[] {
  // the decision records' classifications, which win over the stance rules (read once per run)
  const records = recordObjections();
  return [
    // the argument graph: rebuilds the threads that received messages (everything on first run,
    // and when the rules or the records changed)
    {
      name: 'graph',
      run: (db, added) => void buildGraph(db, { added, records }),
      stale: (db) => graphStale(db, records),
    },
    // full-text search over own text (argmap search): the added messages, or all when stale
    {
      name: 'search',
      run: (db, added) => void refreshSearchIndex(db, added),
      stale: searchIndexStale,
    },
  ];
}
