/**
 * What one message does in the argument, in a word or two: the stances the thread outline shows
 * next to each message. Shared by the site (src/site/pages/thread.ts) and `argmap graph eval`, which
 * scores it against the hand labels at message level.
 */

/** Stances a summary may name, in the order a reader scans a thread for them (ties go first). */
export const SUMMARY_STANCES: readonly string[] = [
  'objects-to',
  'nacks',
  'proposes-alternative',
  'concedes',
  'acks',
  'supports',
  'asks',
  'answers',
  'proposes',
];

/**
 * The `k` stances most frequent among a message's own paragraphs (neutral and unknown stances are
 * not named), most frequent first, ties in {@link SUMMARY_STANCES} order.
 */
export function leadingStances(paragraphStances: Iterable<string>, k = 2): string[] {
  const counts = new Map<string, number>();
  for (const s of paragraphStances) if (SUMMARY_STANCES.includes(s)) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts.keys()]
    .sort(
      (a, b) => counts.get(b)! - counts.get(a)! || SUMMARY_STANCES.indexOf(a) - SUMMARY_STANCES.indexOf(b),
    )
    .slice(0, k);
}

/**
 * What a reader should know about any stance the site shows: a model's reading, and how often it
 * is right on threads nobody labelled (docs/stance-evaluation.md, "Learned model": 55 % on the
 * 342-paragraph blind set, rules alone 54 %). Pages that show stances from the graph carry it.
 */
export const STANCE_CAVEAT =
  'Stances are read by a model trained on 1,315 hand-labelled paragraphs, not by people: on threads nobody labelled, about 5 in 10 paragraphs get the stance a human reader gives them. Stances marked “unsure” are less likely right than wrong.';

/**
 * Below this calibrated probability a stance is shown as unsure, with its runner-up. Chosen from
 * the cross-validated reliability table (docs/stance-evaluation.md): the 21 % of paragraphs the
 * model gives less than 0.5 were right 42 % of the time; those at 0.5–0.6 were right 63 %.
 */
export const UNSURE_BELOW = 0.5;

/** Whether a stance with this confidence (and a runner-up) is shown as unsure. */
export function isUnsure(confidence: number, alt: string | null): boolean {
  return alt !== null && confidence < UNSURE_BELOW;
}
