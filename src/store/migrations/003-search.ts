/**
 * Migration 3: full-text search for `argmap search`. docs/schema.md, section "Search", documents it.
 *
 * Contentless FTS5 (`content=''`): the index holds only the tokens of each message's own text
 * (quotes, diffs, signature and trailers removed; src/search/owntext.ts), not a second copy of the
 * text, which keeps the archive inside its size budget. Snippets are cut from `messages.body` at
 * query time. `contentless_delete=1` lets a re-ingest replace a message's row. The rowid is
 * `messages.id`.
 */
import type { Migration } from './migration.ts';

export const search: Migration = {
  version: 3,
  name: 'search',
  sql: `
CREATE VIRTUAL TABLE search_fts USING fts5(
  subject,
  author,
  body,
  content = '',
  contentless_delete = 1,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
`,
};
