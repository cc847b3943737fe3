/**
 * Migration 7: the To and Cc headers of every message, decoded (`messages.to_addrs`,
 * `messages.cc_addrs`), and two search columns for them (`rcpt_to`, `rcpt_cc`), for lore's `t:`
 * `c:` `tc:` `a:` operators. docs/schema.md, sections "Archive" and "Search", documents them.
 *
 * Ingest fills them for new mail. Rows of an archive ingested before this migration are NULL
 * ("not read yet"): the next ingest's recipients step (src/ingest/recipients.ts) reads them from
 * each message's stored raw copy, so no source has to be read again. FTS5 cannot add a column,
 * so `search_fts` is recreated (as in migration 6) and rebuilt by the next ingest.
 */
import type { Migration } from './migration.ts';

export const recipients: Migration = {
  version: 7,
  name: 'recipients',
  sql: `
ALTER TABLE messages ADD COLUMN to_addrs TEXT;
ALTER TABLE messages ADD COLUMN cc_addrs TEXT;
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
  rcpt_to,
  rcpt_cc,
  content = '',
  contentless_delete = 1,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
DELETE FROM meta WHERE key = 'search_index_version';
`,
};
