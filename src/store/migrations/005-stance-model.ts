/**
 * Migration 5: the learned stance model's call beside the rules' (docs/schema.md, "claim_rows").
 * `model_stance` is the model's best stance (null for trailers, which stay with the rules),
 * `confidence` becomes its calibrated probability, and `alt_stance`/`alt_p` the runner-up, so a
 * page can say "unsure: objects-to or asks?".
 */
import type { Migration } from './migration.ts';

export const stanceModel: Migration = {
  version: 5,
  name: 'stance-model',
  sql: `
ALTER TABLE claim_rows ADD COLUMN model_stance TEXT;
ALTER TABLE claim_rows ADD COLUMN alt_stance TEXT;
ALTER TABLE claim_rows ADD COLUMN alt_p REAL;

DROP VIEW claims;
CREATE VIEW claims AS
SELECT c.id, c.message_id, c.segment_id, c.author_id,
       CAST(substr(CAST(m.body AS BLOB), c.start + 1, c."end" - c.start) AS TEXT) AS text,
       c.stance, c.stance_reason, c.confidence,
       m.message_id || '#' || (CASE c.kind WHEN 'para' THEN 'p' ELSE 't' END) || c.n AS key,
       c.kind, c.n, c.rule_stance, c.model_stance, c.alt_stance, c.alt_p
FROM claim_rows c JOIN messages m ON m.id = c.message_id;
`,
};
