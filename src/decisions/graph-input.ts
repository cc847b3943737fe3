/**
 * The decision records as the argument graph reads them: per objection, the citations that
 * raised it, the ones that settled it, and its status (src/graph/records.ts applies them). The
 * ingest hands these to the graph build, so `argmap ingest` leaves a graph that agrees with the
 * records.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RecordObjection } from '../graph/records.ts';
import { citationsIn, readRecords, type DecisionRecord } from './record.ts';

/** The bundled records (data/decisions/ of the project). */
export const BUNDLED_DECISIONS = fileURLToPath(new URL('../../data/decisions', import.meta.url));

/** The objections of parsed records, in file and objection order. */
export function objectionsOf(records: DecisionRecord[]): RecordObjection[] {
  const out: RecordObjection[] = [];
  for (const rec of records)
    for (const o of rec.objections) {
      const cite = (c: { kind: string; target: string; paragraph: number | null }) =>
        c.kind === 'msg' ? [{ messageId: c.target, paragraph: c.paragraph }] : [];
      out.push({
        ref: `${rec.slug} O${o.number}`,
        status: o.status ?? 'open',
        raised: citationsIn(o.raisedBy ?? '', o.line).flatMap(cite),
        settledBy: o.settledBy.flatMap(cite),
      });
    }
  return out;
}

/** The objections of the records in `dir` (none when the directory does not exist). */
export function recordObjections(dir: string | null = BUNDLED_DECISIONS): RecordObjection[] {
  if (!dir || !existsSync(dir)) return [];
  return objectionsOf(readRecords(dir));
}
