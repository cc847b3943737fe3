/**
 * The parts of a body that are not own text but that lore's search syntax can still ask for: the
 * quoted text (`q:`), and of the patch part the file names (`dfn:`), removed lines (`dfa:`, the
 * a/ side), added lines (`dfb:`, the b/ side) and the function context of hunk headers
 * (`dfhh:`). Line classes come from owntext.ts, so "quoted" and "patch" mean exactly what they
 * mean for claims and for the page's rendering: a diff quoted in a reply is quoted text, not a
 * diff.
 *
 * One forward pass over lines; every part is cut at `cap` characters (MAX_PART_CHARS) so that a
 * message carrying a huge generated diff cannot grow the index without bound.
 */
import { MAX_PART_CHARS } from '../util/limits.ts';
import { classifyLines, splitLines, stripQuote } from './owntext.ts';

/** The searchable non-own parts of one body, each as newline-joined text. */
export interface BodyParts {
  /** Quoted lines without their `>` markers (what lore's `q:` searches). */
  quoted: string;
  /** Paths named by `diff --git a/X b/Y`, `--- a/X` and `+++ b/Y` lines, each once, in order. */
  files: string;
  /** Removed (`-`) lines of the hunks, without the marker: lore's `dfa:`. */
  removed: string;
  /** Added (`+`) lines of the hunks, without the marker: lore's `dfb:`. */
  added: string;
  /** The function context after the second `@@` of each hunk header: lore's `dfhh:`. */
  hunks: string;
}

/** A collector that stops taking text once `cap` characters are held. */
class Capped {
  private readonly parts: string[] = [];
  private size = 0;
  constructor(private readonly cap: number) {}
  add(s: string): void {
    if (!s || this.size >= this.cap) return;
    const room = this.cap - this.size;
    const t = s.length > room ? s.slice(0, room) : s;
    this.parts.push(t);
    this.size += t.length + 1;
  }
  text(): string {
    return this.parts.join('\n');
  }
}

/** `@@ -a[,b] +c[,d] @@ context`: the old and new line counts (1 when not written) and the context. */
const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@(.*)$/;

/** A path from a `---`/`+++` line: without its `a/`/`b/` prefix and any tab-separated timestamp. */
function headerPath(rest: string): string {
  const p = rest.split('\t')[0]!.trim();
  return p.startsWith('a/') || p.startsWith('b/') ? p.slice(2) : p;
}

/** Split a body into its quoted text and its diff's searchable parts. */
export function bodyParts(body: string, cap = MAX_PART_CHARS): BodyParts {
  const lines = splitLines(body).text;
  const { cls } = classifyLines(lines);
  const quoted = new Capped(cap);
  const files = new Capped(cap);
  const added = new Capped(cap);
  const removed = new Capped(cap);
  const hunks = new Capped(cap);
  const seenFiles = new Set<string>();
  const file = (p: string): void => {
    if (!p || p === '/dev/null' || seenFiles.has(p)) return;
    seenFiles.add(p);
    files.add(p);
  };
  // Lines still owed by the current hunk on each side (from its header's counts). A hunk ends
  // when both are paid, so a `--- a/next` header or the `-- ` signature after it is never read
  // as a removed line. A header without counts we can read keeps the hunk open until the next
  // header or the signature.
  let oldLeft = 0;
  let newLeft = 0;
  let open = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const c = cls[i]!;
    if (c === 'quote') {
      quoted.add(stripQuote(l).trim());
      continue;
    }
    if (c !== 'patch') continue;
    const inHunk = open || oldLeft > 0 || newLeft > 0;
    if (l.startsWith('@@')) {
      const h = HUNK.exec(l);
      if (h) {
        oldLeft = h[1] === undefined ? 1 : Number(h[1]);
        newLeft = h[2] === undefined ? 1 : Number(h[2]);
        open = false;
        hunks.add(h[3]!.trim());
      } else {
        oldLeft = newLeft = 0;
        open = true;
        const close = l.indexOf('@@', 2);
        if (close > 0) hunks.add(l.slice(close + 2).trim());
      }
      continue;
    }
    if (inHunk) {
      if (open && (l.startsWith('diff --git ') || l === '-- ')) {
        open = false; // a header without counts: the next file or the signature ends it
      } else {
        const m = l.charCodeAt(0);
        if (m === 43 /* + */) {
          added.add(l.slice(1));
          newLeft--;
        } else if (m === 45 /* - */) {
          removed.add(l.slice(1));
          oldLeft--;
        } else if (m !== 92 /* \ No newline at end of file */) {
          // context (an empty line is a context line whose space a mailer trimmed)
          oldLeft--;
          newLeft--;
        }
        continue;
      }
    }
    if (l.startsWith('diff --git ')) {
      // `diff --git a/X b/Y`: paths without spaces, the common case; a rename shows both.
      for (const p of l.slice(11).split(' ')) if (p.startsWith('a/') || p.startsWith('b/')) file(p.slice(2));
    } else if (l.startsWith('--- ') || l.startsWith('+++ ')) file(headerPath(l.slice(4)));
  }
  return {
    quoted: quoted.text(),
    files: files.text(),
    removed: removed.text(),
    added: added.text(),
    hunks: hunks.text(),
  };
}
