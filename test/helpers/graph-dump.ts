/**
 * The argument graph of an archive as sorted lines that do not depend on claim row ids, so two
 * builds of the same archive (one incremental, one full) can be compared line by line. Claims are
 * named by their key (`MESSAGE-ID#pN`); messages, series and commits keep their row ids, which are
 * the same in both builds of one archive.
 */
import type { Db } from '../../src/store/db.ts';

/** Table name → its rows as sorted strings. */
export function graphDump(db: Db): Record<string, string[]> {
  const lines = (sql: string): string[] =>
    (db.prepare(sql).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
  return {
    claims: lines(
      `SELECT key, kind, stance, rule_stance, model_stance, alt_stance, round(confidence, 6), round(alt_p, 6),
              stance_reason, stance_source, author_id FROM claims`,
    ),
    edges: lines(
      `SELECT s.key, e.relation, d.key, e.evidence FROM edges e
       JOIN claims s ON s.id = e.src_claim_id JOIN claims d ON d.id = e.dst_claim_id`,
    ),
    danglingEdges: lines(
      `SELECT e.src_claim_id, e.dst_claim_id, e.relation FROM edges e
       WHERE NOT EXISTS (SELECT 1 FROM claim_rows c WHERE c.id = e.src_claim_id)
          OR NOT EXISTS (SELECT 1 FROM claim_rows c WHERE c.id = e.dst_claim_id)`,
    ),
    topics: lines('SELECT c.key, t.topic, t.source FROM claim_topics t JOIN claims c ON c.id = t.claim_id'),
    objections: lines(
      `SELECT c.key, o.status, ec.key, o.evidence_message_id, o.evidence, o.source, o.record_status, o.record
       FROM objections o JOIN claims c ON c.id = o.claim_id LEFT JOIN claims ec ON ec.id = o.evidence_claim_id`,
    ),
    danglingObjections: lines(
      'SELECT claim_id FROM objections WHERE claim_id NOT IN (SELECT id FROM claim_rows)',
    ),
    series: lines('SELECT id, title, author_id, first_date, last_date, postings FROM series'),
    patches: lines(
      'SELECT message_id, series_id, version, part, total, is_cover, patch_id, posting, is_rfc, is_resend, role, chained_by FROM patches',
    ),
    commitLinks: lines('SELECT * FROM commit_links'),
  };
}
