/**
 * Migration 4: how messages without threading headers were placed, and why an archive page was
 * judged to be the same message as another copy. docs/schema.md, sections "placements" and
 * "page_identities", documents every column.
 */
import type { Migration } from './migration.ts';

export const placement: Migration = {
  version: 4,
  name: 'placement',
  sql: `
-- One row per message whose parent was inferred (no In-Reply-To/References): the parent chosen,
-- the evidence it rests on and how sure that is, so a reader sees which links are guesses.
CREATE TABLE placements (
  message_id INTEGER PRIMARY KEY REFERENCES messages(id),
  parent_id  INTEGER REFERENCES messages(id),
  method     TEXT NOT NULL CHECK (method IN ('attribution', 'quote', 'series', 'subject', 'missing-parent', 'none')),
  confidence REAL NOT NULL,
  evidence   TEXT NOT NULL,
  candidates INTEGER NOT NULL
);
CREATE INDEX placements_parent ON placements(parent_id);

-- One row per archive page merged into another copy of the same message: the page's bytes
-- (a message_copies row, or the primary copy it was merged with) and the evidence of identity.
CREATE TABLE page_identities (
  message_id           INTEGER NOT NULL REFERENCES messages(id),
  page_sha256          TEXT NOT NULL,
  time_rule            TEXT NOT NULL CHECK (time_rule IN ('receipt-delay', 'exact-offset', 'same-date')),
  zone_offset_minutes  INTEGER,
  delay_seconds        INTEGER NOT NULL,
  own_text_similarity  REAL NOT NULL,
  body_similarity      REAL NOT NULL,
  PRIMARY KEY (message_id, page_sha256)
);

-- An archive made before this migration has pages merged or placed by the old rules: the next
-- ingest places everything again (and records why).
INSERT INTO meta(key, value) VALUES ('threads_dirty', '1')
  ON CONFLICT(key) DO UPDATE SET value = excluded.value;
`,
};
