/**
 * The find of a union-find over a parent array, shared by the series pass (src/graph/series.ts,
 * postings chained into series) and the threading-header components of an ingest
 * (src/ingest/headers.ts). Each keeps its own union, because each picks its root by its own rule.
 */

/**
 * The root of `x` in `parent` (a root is its own parent), pointing every element on the way
 * straight at the root so later finds are short. Iterative: a long chain costs no stack.
 */
export function findRoot(parent: { [i: number]: number }, x: number): number {
  let r = x;
  while (parent[r] !== r) r = parent[r]!;
  while (parent[x] !== r) {
    const n = parent[x]!;
    parent[x] = r;
    x = n;
  }
  return r;
}
