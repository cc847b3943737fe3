/**
 * Which part of the archive an incremental graph build must redo its archive-wide passes over
 * (series edges, carried trailers, objection status), so that the result is the one a full
 * rebuild gives (test/graph/scope.test.ts checks exactly that on real mail).
 *
 * A version edge joins claims of one series; a reply edge never leaves its thread; an objection's
 * status reads the reply edges of its thread and the version edges and paragraph fates of the
 * series whose patches sit in that thread. So the scope is the threads that received mail and the
 * threads of the patch mails whose series row changed, plus the threads of the objections a
 * decision record decides (a record's verdict names messages anywhere in the archive, so new mail
 * can change it), closed under "a series with a patch in a scope thread" and "a thread holding a
 * patch of a scope series". The closure is a loop over sets (no recursion) that ends because both
 * sets only grow and are bounded by the archive.
 */
import type { GraphScopeTables } from '../store/graph-scope-tables.ts';
import type { SeriesChange } from './series.ts';

/** The threads and series an incremental build redoes. */
export interface GraphScope {
  threads: Set<number>;
  series: Set<number>;
}

/**
 * Close the scope of an incremental build (see the module comment).
 * @param verdictClaims - the claims the decision records decide this build, or null when every
 * verdict is the one the last build stored (then the records add no thread of their own)
 */
export function graphScope(
  tables: GraphScopeTables,
  touched: Iterable<number>,
  change: SeriesChange,
  verdictClaims: Iterable<number> | null,
): GraphScope {
  const threads = new Set<number>(touched);
  for (const t of tables.threadsOfMessages(change.messages)) threads.add(t);
  if (verdictClaims !== null) {
    for (const t of tables.threadsOfClaims(verdictClaims)) threads.add(t);
    for (const t of tables.threadsOfRecordObjections()) threads.add(t);
  }
  const series = new Set<number>(change.series);
  let newThreads = [...threads];
  let newSeries = [...series];
  while (newThreads.length || newSeries.length) {
    const s2: number[] = [];
    for (const s of tables.seriesOfThreads(newThreads))
      if (!series.has(s)) {
        series.add(s);
        s2.push(s);
      }
    const t2: number[] = [];
    for (const t of tables.threadsOfSeries([...newSeries, ...s2]))
      if (!threads.has(t)) {
        threads.add(t);
        t2.push(t);
      }
    newThreads = t2;
    newSeries = s2;
  }
  return { threads, series };
}
