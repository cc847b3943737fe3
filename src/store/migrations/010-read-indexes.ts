/**
 * Migration 10: indexes for the reads that placement and threading make over the whole archive
 * on every ingest (src/store/placement.ts, src/store/threading-tables.ts). Without them each read
 * scans `messages` and tests columns stored after the body (`is_ghost`, `id_kind`), so every row's
 * read walks the body's overflow pages. On the 10× archive (361k messages) placement's `pages()`
 * took 10.7 s and `orphans()` 5.0 s, and the threader 4.7–5.2 s; with these, 1 ms, 0.6 s and
 * 1.9–2.2 s.
 *
 * - `messages_synthetic`: the archive pages still stored as messages of their own (few).
 * - `messages_placeable`: real, dated messages whose parent is unknown or inferred, in date order
 *   (the candidates `orphans()` filters further). Its WHERE must stay the one `orphans()` writes, or
 *   SQLite will not use it; test/store/placement.test.ts checks the query plans.
 * - `messages_threading`, `messages_order`, `messages_thread_stats`: covering indexes for the
 *   threader's three reads (every message's threading state; real messages in date order; the
 *   per-thread counts and dates of the `threads` table); test/store/threading-tables.test.ts
 *   checks their plans.
 */
import type { Migration } from './migration.ts';

export const readIndexes: Migration = {
  version: 10,
  name: 'read-indexes',
  sql: `
CREATE INDEX messages_synthetic ON messages(id) WHERE id_kind = 'synthetic';
CREATE INDEX messages_placeable ON messages(date, id)
  WHERE is_ghost = 0 AND date IS NOT NULL
    AND (parent_reason IS NULL OR parent_reason IN ('attribution', 'quote', 'subject', 'series', 'missing-parent'));
CREATE INDEX messages_threading ON messages(id, is_ghost, parent_id, parent_reason, thread_id);
CREATE INDEX messages_order ON messages(date IS NULL, date, message_id) WHERE is_ghost = 0;
CREATE INDEX messages_thread_stats ON messages(thread_id, is_ghost, date);
`,
};
