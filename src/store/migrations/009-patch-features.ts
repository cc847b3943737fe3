/**
 * Migration 9: a cache of what the series pass reads out of each patch mail's body (its patch-id,
 * the Message-ID links before the diff, the people who signed it off), so that appending a day's
 * mail does not read and hash every patch of the archive again (issue 14, "incremental
 * everything"; docs/schema.md, "Argument graph").
 *
 * It is derived data: a full graph rebuild empties it, and a row is used only while the
 * message's `content_sha256` is the one it was computed from (bodies of stored mail do not change;
 * the hash guards against a row id reused after a delete).
 */
import type { Migration } from './migration.ts';

export const patchFeatures: Migration = {
  version: 9,
  name: 'patch-features',
  sql: `
CREATE TABLE patch_features (
  message_id     INTEGER PRIMARY KEY REFERENCES messages(id),
  content_sha256 TEXT NOT NULL,
  patch_id       TEXT,
  links          TEXT NOT NULL,
  signers        TEXT NOT NULL
);
`,
};
