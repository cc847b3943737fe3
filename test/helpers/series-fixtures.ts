/**
 * The fixture files of test/fixtures/series/: scripts/make-fixtures.ts copies these corpus threads
 * there and test/graph/scope.test.ts reads them back, so the two name the same files. No imports,
 * so the fixture script can use it without loading the code under test.
 */

/** The corpus threads of the memory.reclaim series after the merge, oldest first. */
export const SERIES_THREADS = [
  'resend-2022',
  'nodes-rfc-2022',
  'nodes-v3-2022',
  'nodes-revert-2022',
  'swappiness-2023',
  'swappiness-v6-2024',
];
