/**
 * Migration 8: where a claim's stance and an objection's status came from. Decision records
 * (data/decisions/) classify the paragraphs they cite, and that classification now reaches the
 * graph; a reader (and the site) must be able to tell a rule's reading from a curated one.
 * docs/schema.md ("Argument graph") documents every column.
 */
import type { Migration } from './migration.ts';

export const curation: Migration = {
  version: 8,
  name: 'curation',
  sql: `
-- rules: the stance rules decided (stance = rule_stance); model: the learned stance model decided
-- (stance = model_stance); record: a decision record classified the paragraph and the machine
-- reading contradicted it; override: data/stance-overrides.tsv.
ALTER TABLE claim_rows ADD COLUMN stance_source TEXT NOT NULL DEFAULT 'rules'
  CHECK (stance_source IN ('rules', 'model', 'record', 'override'));

-- rules: the lifecycle state machine decided the status; record: a decision record did.
-- record_status keeps the record's own words (conceded, accepted, addressed in v2 …) and record
-- names the objection ("memory-reclaim O1"); status holds the graph's equivalent.
ALTER TABLE objections ADD COLUMN source TEXT NOT NULL DEFAULT 'rules' CHECK (source IN ('rules', 'record'));
ALTER TABLE objections ADD COLUMN record_status TEXT;
ALTER TABLE objections ADD COLUMN record TEXT;

DROP VIEW claims;
CREATE VIEW claims AS
SELECT c.id, c.message_id, c.segment_id, c.author_id,
       CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
       c.stance, c.stance_reason, c.confidence,
       m.message_id || '#' || (CASE c.kind WHEN 'para' THEN 'p' ELSE 't' END) || c.n AS key,
       c.kind, c.n, c.rule_stance, c.model_stance, c.alt_stance, c.alt_p, c.stance_source
FROM claim_rows c JOIN messages m ON m.id = c.message_id;

-- the graph of an older archive was built without the records: rebuild it on the next ingest
DELETE FROM meta WHERE key = 'graph_version';
`,
};
