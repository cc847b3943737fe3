/**
 * Patch subject parsing in the manner of b4's LoreSubject: `[PATCH v3 2/7]`, `[RFC PATCH]`,
 * `[PATCH resend]`, `[PATCHv2]`, `[PATCH v6,19/24]`, `Re: [PATCH …]`. What is not written in the
 * subject but assumed (version 1, part 1/1) is flagged as inferred, so callers can tell a real
 * "v1" from a missing version.
 */

export interface ParsedSubject {
  /** The subject as given, whitespace collapsed. */
  full: string;
  /** The subject without reply markers and bracket prefixes. */
  title: string;
  /** Lower-cased title with whitespace collapsed and a trailing "(was: …)" removed: for grouping. */
  normalised: string;
  isReply: boolean;
  isForward: boolean;
  isPatch: boolean;
  isRfc: boolean;
  isResend: boolean;
  /** Revision (the N of vN); 1 when none is written, with `revisionInferred`. */
  revision: number;
  revisionInferred: boolean;
  /** Part number M of M/N; 1 with `counterInferred` when none is written. */
  counter: number;
  /** Total N of M/N. */
  expected: number;
  counterInferred: boolean;
  /** Other prefix words, upper-cased where they were flags (e.g. `MM-UNSTABLE`, `5.10`, `NET-NEXT`). */
  prefixes: string[];
}

/** Longest subject processed; longer ones are cut (headers can be megabytes in hostile mail). */
const MAX_SUBJECT_CHARS = 2000;

const REPLY_RE = /^(?:(re|aw|sv|antw|odp|vs)|(fwd?))\s*(?:\[\d+\])?\s*:\s*/i;

/** Split leading bracket groups, allowing nested brackets, without recursion or regex backtracking. */
function leadingGroups(s: string): { groups: string[]; rest: string } {
  const groups: string[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && s[i] === ' ') i++;
    if (s[i] !== '[') break;
    let depth = 0;
    let j = i;
    for (; j < s.length; j++) {
      if (s[j] === '[') depth++;
      else if (s[j] === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (j >= s.length) break; // unbalanced: leave it in the title
    // Remove brackets inside brackets: "[PATCH [v2] 1/2]" -> "PATCH v2 1/2".
    groups.push(s.slice(i + 1, j).replace(/[[\]]/g, ' '));
    i = j + 1;
  }
  return { groups, rest: s.slice(i) };
}

export function parseSubject(subject: string | null | undefined): ParsedSubject {
  let s = (subject ?? '').slice(0, MAX_SUBJECT_CHARS).replace(/\s+/g, ' ').trim();
  const full = s;
  let isReply = false;
  let isForward = false;
  const res: ParsedSubject = {
    full,
    title: '',
    normalised: '',
    isReply: false,
    isForward: false,
    isPatch: false,
    isRfc: false,
    isResend: false,
    revision: 1,
    revisionInferred: true,
    counter: 1,
    expected: 1,
    counterInferred: true,
    prefixes: [],
  };
  // Is it a reply? Reply markers may sit before or after bracket groups ("[PATCH] Re: …").
  for (let guard = 0; guard < 50; guard++) {
    const m = REPLY_RE.exec(s);
    if (m) {
      if (m[1]) isReply = true;
      else isForward = true;
      s = s.slice(m[0].length);
      continue;
    }
    const { groups, rest } = leadingGroups(s);
    if (!groups.length) break;
    for (const g of groups) applyGroup(res, g);
    s = rest.trim();
    if (!REPLY_RE.test(s)) break;
  }
  res.isReply = isReply;
  res.isForward = isForward;
  res.title = s.trim();
  res.normalised = res.title
    .replace(/\s*\(was:?[^)]*\)\s*$/i, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
  return res;
}

function applyGroup(res: ParsedSubject, group: string): void {
  // Fix glued forms: PATCHv2, PATCH-v2, RFCv3, v2-RESEND.
  const g = group.replace(/\b(PATCH|RFC|RESEND)[-_]?(v\d+)/gi, '$1 $2');
  for (const tok0 of g.split(/[\s,]+/)) {
    const tok = tok0.trim();
    if (!tok) continue;
    const up = tok.toUpperCase();
    let m: RegExpExecArray | null;
    if (up === 'PATCH' || up === 'PATCHES' || up === 'PATCHSET') res.isPatch = true;
    else if (up === 'RFC' || up === 'RFT') res.isRfc = true;
    else if (up === 'RESEND' || up === 'REPOST') res.isResend = true;
    else if ((m = /^V(\d{1,4})(?:\.\d+)?$/.exec(up))) {
      res.revision = Number(m[1]);
      res.revisionInferred = false;
    } else if ((m = /^(\d{1,5})\/(\d{1,5})$/.exec(tok))) {
      res.counter = Number(m[1]);
      res.expected = Number(m[2]);
      res.counterInferred = false;
    } else res.prefixes.push(up);
  }
  // "[RFC v3 7/8]" and "[-next v2 1/4]" are patches without the word PATCH: a counter or a
  // revision in a bracket group marks a patch, unless the group is a pull request.
  if ((!res.counterInferred || !res.revisionInferred) && !/\bPULL\b/i.test(group)) res.isPatch = true;
}
