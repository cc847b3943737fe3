/**
 * Steps that run after every ingest that added messages: the argument graph and the search index
 * are derived data, refreshed here so that `argmap ingest` always leaves a complete archive.
 */
import type { Db } from '../store/db.ts';
import { buildGraph, graphStale } from '../graph/build.ts';
import { recordObjections } from '../decisions/graph-input.ts';
import { refreshSearchIndex, searchIndexStale } from '../search/fts.ts';
import { backfillRecipients, recipientsMissing } from './recipients.ts';

/** A derived-data step: a name (for timings and progress) and the work. */
export interface PostStep {
  name: string;
  run: (db: Db, added: number[]) => void | Promise<void>;
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
    // To and Cc of messages ingested before they were stored (migration 7), from their raw copies
    {
      name: 'recipients',
      run: async (db) => void (await backfillRecipients(db)),
      stale: recipientsMissing,
    },
    // the argument graph: rebuilds the threads that received messages (everything on first run,
    // and when the rules, the stance model or the records changed)
    {
      name: 'graph',
      run: (db, added) => void buildGraph(db, { added, records }),
      stale: (db) => graphStale(db, records),
    },
    // full-text search (argmap search): own text, quoted text, the patch's parts, recipients: the added messages, or all when stale
    {
      name: 'search',
      run: (db, added) => void refreshSearchIndex(db, added),
      stale: searchIndexStale,
    },
  ];
}
