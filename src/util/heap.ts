/**
 * Keeping long derived-data passes (the argument graph, the search index) inside the ingest's
 * memory budget (docs/benchmarks.md: peak RSS under 400 MB whatever the archive size).
 *
 * Those passes read every message body once and drop it a moment later. On a machine with a lot
 * of RAM V8 sizes its old generation from the machine (about 4 GB here) and lets that garbage pile
 * up: the heap held 180 MB after the graph pass over the 36k-message archive, of which 58 MB was
 * live, and the process peaked between 390 and 445 MB from one run to the next depending on when
 * V8 chose to collect. Capping the heap (`--max-old-space-size`) would turn an unusually large
 * thread into a crash; collecting when the heap passes a soft threshold bounds the peak and
 * costs a few full collections instead.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

/** Heap in use (bytes) above which a long pass asks for a full collection. */
export const HEAP_SOFT_LIMIT = 128 * 1024 * 1024;

let collect: (() => void) | null | undefined;
/** Heap in use right after the last collection: what was live then. */
let liveAfterLast = 0;

/**
 * Collect garbage now if the heap holds more than `limit` bytes. Cheap when under the limit (one
 * heap-statistics call); meant to be called between units of work (a thread, a batch).
 * Returns whether a collection ran.
 */
export function relieveHeap(limit = HEAP_SOFT_LIMIT): boolean {
  // Collect again only once the heap has doubled since the last collection: a pass whose live
  // data is above the limit (`graph train` keeps every paragraph's features) would otherwise
  // pay a full collection per call, one per thread (minutes on a 36k-message archive).
  if (v8.getHeapStatistics().used_heap_size < Math.max(limit, 2 * liveAfterLast)) return false;
  if (collect === undefined) {
    try {
      // The documented way to reach V8's collector without starting node with --expose-gc.
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  if (!collect) return false;
  collect();
  liveAfterLast = v8.getHeapStatistics().used_heap_size;
  return true;
}
