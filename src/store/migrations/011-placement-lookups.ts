/**
 * Migration 11: what each header-less message's placement looked up about people (the names and
 * addresses its attribution lines and its own From name resolve through), so that appending mail
 * places again only the messages the new mail can change (src/thread/place.ts, "Incremental").
 *
 * Derived data, rewritten with the placements. A key is `n:` and a name key (people.ts
 * `nameKey`), `a:` and an address, or `l:` and an address's local part (the obfuscated-address
 * lookup). Until a full placement pass has filled it (meta `placement_lookups`), placement stays
 * global.
 */
import type { Migration } from './migration.ts';

export const placementLookups: Migration = {
  version: 11,
  name: 'placement-lookups',
  sql: `
CREATE TABLE placement_lookups (
  message_id INTEGER NOT NULL REFERENCES messages(id),
  key        TEXT NOT NULL,
  PRIMARY KEY (message_id, key)
) WITHOUT ROWID;
CREATE INDEX placement_lookups_key ON placement_lookups(key);
`,
};
