/**
 * Measuring how objections end in the graph against hand labels (data/labels/lifecycle-*.tsv,
 * docs/labelling.md "Fifth set"): for each labelled objection, is the graph's status the labelled
 * ending, and is the message that ended it the labelled one.
 *
 * The labels and the graph name two endings by different sides (docs/labelling.md, "Endings when
 * the other side yields"; docs/graph.md, "Objection status"): a label's `conceded` is the objector
 * giving up, which the graph calls `withdrawn`; the patch author giving way is a label's
 * `addressed`, the graph's `conceded`. Scores compare in the labels' words ({@link asLabelEnding}).
 */
import type { Db } from '../store/db.ts';
import { LabelledReads } from './query.ts';
import { tsvRows } from '../util/tsv.ts';

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
  return tsvRows(file).map((f) => ({
    messageId: f[0]!,
    para: Number(f[1]),
    prefix: f[2] ?? '',
    ending: f[3]!,
    endedBy: !f[4] || f[4] === '-' ? null : f[4].replace(/^<|>$/g, ''),
    note: f[5] ?? '',
  }));
}

/**
 * A graph status in the labels' words: the graph's `withdrawn` (the objector conceded after a
 * rebuttal) is the label `conceded`, and the graph's `conceded` (the party objected to gave way)
 * the label `addressed`. The label `withdrawn` (someone withdrew the objection or the proposal in
 * a message of their own) has no graph status of its own, so it is never matched.
 */
export function asLabelEnding(graphStatus: string): string {
  if (graphStatus === 'withdrawn') return 'conceded';
  if (graphStatus === 'conceded') return 'addressed';
  return graphStatus;
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
  /** confusion[labelled][graph, in the labels' words] (graph "none" = not an objection). */
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
    const graph = g?.status ? asLabelEnding(g.status) : 'none';
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
        graph: g ? `${graph} (graph: ${g.status}; ${g.stance})` : 'none',
        goldBy: l.endedBy,
        graphBy: g?.endedBy ?? null,
        note: l.note,
      });
  }
  return r;
}
