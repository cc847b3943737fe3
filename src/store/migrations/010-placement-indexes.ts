/**
 * Migration 10: two partial indexes for placement's archive-wide reads (src/store/placement.ts),
 * which otherwise scan every message and read `id_kind`, `is_ghost` and `parent_reason`, all
 * stored after the body, so each row's read walks the body's overflow pages. On the 10× archive
 * (361k messages) `pages()` took 10.7 s and `orphans()` 5.0 s of every append.
 *
 * - `messages_synthetic`: the archive pages still stored as messages of their own (few).
 * - `messages_placeable`: real, dated messages whose parent is unknown or inferred, in date order
 *   (the candidates `orphans()` filters further). Its WHERE must stay the one `orphans()` writes, or
 *   SQLite will not use it; test/store/placement.test.ts checks the query plan.
 */
import type { Migration } from './migration.ts';

export const placementIndexes: Migration = {
  version: 10,
  name: 'placement-indexes',
  sql: `
CREATE INDEX messages_synthetic ON messages(id) WHERE id_kind = 'synthetic';
CREATE INDEX messages_placeable ON messages(date, id)
  WHERE is_ghost = 0 AND date IS NOT NULL
    AND (parent_reason IS NULL OR parent_reason IN ('attribution', 'quote', 'subject', 'series', 'missing-parent'));
`,
};
