/**
 * Measuring how objections end in the graph against hand labels (data/labels/lifecycle-*.tsv,
 * docs/labelling.md "Fifth set"): for each labelled objection, is the graph's status the labelled
 * ending, and is the message that ended it the labelled one.
 */
import { readFileSync } from 'node:fs';
import type { Db } from '../store/db.ts';
import { LabelledReads } from './query.ts';

/** One labelled ending. */
export interface EndingLabel {
  messageId: string;
  para: number;
  prefix: string;
  ending: string;
  endedBy: string | null;
  note: string;
}

/** Parse a lifecycle label file (TSV with a header; `-` for no closing message). */
export function endingLabels(file: string): EndingLabel[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const f = l.split('\t');
      return {
        messageId: f[0]!,
        para: Number(f[1]),
        prefix: f[2] ?? '',
        ending: f[3]!,
        endedBy: !f[4] || f[4] === '-' ? null : f[4].replace(/^<|>$/g, ''),
        note: f[5] ?? '',
      };
    });
}

/** The comparison. */
export interface LifecycleReport {
  labelled: number;
  /** Labelled rows whose message is not in the archive. */
  missing: number;
  /** The graph does not treat the paragraph as an objection (its stance is another). */
  notObjection: number;
  endingRight: number;
  /** Right ending and, unless open, the right closing message. */
  bothRight: number;
  /** confusion[labelled][graph] (graph "none" = not an objection). */
  confusion: Record<string, Record<string, number>>;
  misses: {
    key: string;
    gold: string;
    graph: string;
    goldBy: string | null;
    graphBy: string | null;
    note: string;
  }[];
}

/** Compare the archive's objection statuses with a lifecycle label file. */
export function evaluateLifecycle(db: Db, file: string): LifecycleReport {
  const reads = new LabelledReads(db);
  const r: LifecycleReport = {
    labelled: 0,
    missing: 0,
    notObjection: 0,
    endingRight: 0,
    bothRight: 0,
    confusion: {},
    misses: [],
  };
  for (const l of endingLabels(file)) {
    r.labelled++;
    if (!reads.message(l.messageId)) {
      r.missing++;
      continue;
    }
    const g = reads.objectionEnding(l.messageId, l.para);
    const graph = g?.status ?? 'none';
    if (graph === 'none') r.notObjection++;
    const row = (r.confusion[l.ending] ??= {});
    row[graph] = (row[graph] ?? 0) + 1;
    const endingOk = graph === l.ending;
    const byOk = l.ending === 'open' || (g?.endedBy ?? null) === l.endedBy;
    if (endingOk) r.endingRight++;
    if (endingOk && byOk) r.bothRight++;
    else
      r.misses.push({
        key: `${l.messageId}#p${l.para}`,
        gold: l.ending,
        graph: g ? `${graph} (${g.stance})` : 'none',
        goldBy: l.endedBy,
        graphBy: g?.endedBy ?? null,
        note: l.note,
      });
  }
  return r;
}
