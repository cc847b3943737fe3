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
 * What a reader should know about any stance the site shows: the rules' reading, and how often it
 * is right on threads the rules were not written on (docs/stance-evaluation.md: ~60 % over the
 * blind held-out sets). Pages that show stances from the graph carry it.
 */
export const STANCE_CAVEAT =
  'Stances are read by cue-phrase rules, not by people: on threads the rules were not written on, about 6 in 10 paragraphs get the stance a human reader gives them.';
