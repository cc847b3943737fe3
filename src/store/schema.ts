/**
 * The archive's SQLite schema. The database file is a public interface (users open it with
 * sqlite3 or Datasette), so table and column names here are stable; docs/schema.md documents them.
 * Every reference between tables is an integer id; a `…message_id` column holds `messages.id`.
 *
 * Changes go in as new numbered migrations appended to MIGRATIONS; a migration never edits an
 * earlier one, so an existing archive upgrades in place.
 */

import { archive } from './migrations/001-archive.ts';
import { graph } from './migrations/002-graph.ts';
import { search } from './migrations/003-search.ts';
import { placement } from './migrations/004-placement.ts';
import { stanceModel } from './migrations/005-stance-model.ts';
import { searchParts } from './migrations/006-search-parts.ts';
import { recipients } from './migrations/007-recipients.ts';
import { curation } from './migrations/008-curation.ts';
import { patchFeatures } from './migrations/009-patch-features.ts';
import { readIndexes } from './migrations/010-read-indexes.ts';
import { placementLookups } from './migrations/011-placement-lookups.ts';
import { searchWords } from './migrations/012-search-words.ts';
import type { Migration } from './migrations/migration.ts';

/**
 * Every migration, in order. Each lives in its own module under ./migrations/ (one per concern:
 * the archive, the argument graph, search), so that work on one does not touch the others.
 */
export const MIGRATIONS: Migration[] = [
  archive,
  graph,
  search,
  placement,
  stanceModel,
  searchParts,
  recipients,
  curation,
  patchFeatures,
  readIndexes,
  placementLookups,
  searchWords,
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
