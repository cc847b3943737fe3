/**
 * Migration 12: the word count of each indexed message's own text, written with its `search_fts`
 * row, so that ranking's substance prior (src/search/rank.ts `messagePrior`) reads a number instead
 * of re-reading and re-splitting the bodies of the best 400 matches of every query (about a third
 * of a query's time). Derived data, rebuilt with the index: the search index version changed with
 * it, so the next ingest rebuilds both.
 */
import type { Migration } from './migration.ts';

export const searchWords: Migration = {
  version: 12,
  name: 'search-words',
  sql: `
CREATE TABLE search_words (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id),
  own_words  INTEGER NOT NULL
);
`,
};
