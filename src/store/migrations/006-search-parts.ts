/**
 * Migration 6: the search index gains the parts of a message lore's syntax asks for besides own
 * text: quoted text (`q:`), the diff's file names (`dfn:`), added and removed lines (`dfa:`,
 * `dfb:`) and hunk headers (`dfhh:`). docs/schema.md, section "Search", documents the columns.
 *
 * FTS5 cannot add a column, so the table is recreated empty and the index version is forgotten:
 * the next `argmap ingest` (or `start`) rebuilds the index from `messages.body`, and until then
 * `argmap search` says to run it rather than answer from half an index.
 */
import type { Migration } from './migration.ts';

export const searchParts: Migration = {
  version: 6,
  name: 'search-parts',
  sql: `
DROP TABLE search_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(
  subject,
  author,
  body,
  quoted,
  dfn,
  dfa,
  dfb,
  dfhh,
  content = '',
  contentless_delete = 1,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
DELETE FROM meta WHERE key = 'search_index_version';
`,
};
