/**
 * Migration 9: a cache of what the series pass reads out of each patch mail's body (its patch-id,
 * the Message-ID links before the diff, the people who signed it off), so that appending a day's
 * mail does not read and hash every patch of the archive again (issue 14, "incremental
 * everything"; docs/schema.md, "Argument graph").
 *
 * It is derived data: a full graph rebuild empties it. The writer deletes a row when it gives the
 * message a new body (a ghost filled in, an archive page promoted to the raw mail) and placement
 * when it merges the message away; otherwise the body of a stored mail never changes (a second
 * mail with the same Message-ID gets a row of its own). A row is used only while the message row
 * still has the Message-ID it was computed for, which guards against a row id reused after a
 * delete. Not `content_sha256`: it sits after the body in `messages`, and reading
 * it walks the body's overflow pages, which is the very read the cache is there to avoid.
 */
import type { Migration } from './migration.ts';

export const patchFeatures: Migration = {
  version: 9,
  name: 'patch-features',
  sql: `
CREATE TABLE patch_features (
  message_id     INTEGER PRIMARY KEY REFERENCES messages(id),
  message_key    TEXT NOT NULL, -- messages.message_id when the row was computed
  patch_id       TEXT,
  links          TEXT NOT NULL,
  signers        TEXT NOT NULL
);
`,
};
