/**
 * `git patch-id --stable`, in process. A port of git's builtin/patch-id.c (get_one_patchid with
 * stable = 1, verbatim = 0): the diff is hashed with all whitespace removed and hunk line numbers
 * ignored; with --stable each file's hash is computed separately and the hashes are added as
 * 160-bit little-endian numbers, so the order of files does not matter.
 *
 * Spawning git per message is what makes public-inbox's indexing slow (docs: design/anchors.md
 * §7); this costs one SHA-1 pass over the diff text.
 */
import { createHash, type Hash } from 'node:crypto';

/** Largest diff hashed (characters). A 32 MB "patch" is a log or a tarball, not a reviewable change. */
export const MAX_PATCH_CHARS = 16 * 1024 * 1024;

function isSpace(c: number): boolean {
  // C isspace(): space, \t, \n, \v, \f, \r
  return c === 32 || (c >= 9 && c <= 13);
}

function removeSpace(line: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < line.length; i++) {
    if (isSpace(line.charCodeAt(i))) {
      if (i > from) out += line.slice(from, i);
      from = i + 1;
    }
  }
  if (from < line.length) out += line.slice(from);
  return out;
}

/** git's scan_hunk_header: the before/after line counts of "@@ -a,b +c,d @@". */
function scanHunkHeader(line: string): { before: number; after: number } | null {
  const before = scanRange(line, 4); // after "@@ -"
  if (before.digits === 0 || line[before.end] !== ' ' || line[before.end + 1] !== '+') return null;
  const after = scanRange(line, before.end + 2);
  if (after.digits === 0) return null;
  return { before: before.count, after: after.count };
}

/**
 * One "a,b" range of a hunk header, read from `at` as git's scan_hunk_header reads each side: the
 * line count (1 when ",b" is absent), where the range ends, and the digits of its last number (0:
 * the header is malformed).
 */
function scanRange(line: string, at: number): { count: number; end: number; digits: number } {
  let q = at;
  let n = 0;
  while (q + n < line.length && isDigit(line.charCodeAt(q + n))) n++;
  let count = 1;
  if (line[q + n] === ',') {
    q += n + 1;
    count = parseInt(line.slice(q), 10) || 0;
    n = 0;
    while (q + n < line.length && isDigit(line.charCodeAt(q + n))) n++;
  }
  return { count, end: q + n, digits: n };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Add a SHA-1 digest into the running 20-byte sum, with carry (git's flush_one_hunk). */
function addInto(sum: Uint8Array, digest: Buffer): void {
  let carry = 0;
  for (let i = 0; i < sum.length; i++) {
    carry += sum[i]! + digest[i]!;
    sum[i] = carry & 0xff;
    carry >>= 8;
  }
}

/**
 * The stable patch-id of the first patch in `text` (a mail body, a format-patch file or a bare
 * diff), or null when the text holds no diff. Equal to the first field of
 * `git patch-id --stable` for the same input.
 */
export function patchId(text: string): string | null {
  if (text.length > MAX_PATCH_CHARS) return null;
  const sum = new Uint8Array(20);
  let ctx: Hash = createHash('sha1');
  let patchlen = 0;
  let before = -1;
  let after = -1;
  let diffIsBinary = false;
  let preOid = '';
  let postOid = '';
  let pos = 0;
  const flush = (): void => {
    addInto(sum, ctx.digest());
    ctx = createHash('sha1');
  };
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, end); // with its newline, as strbuf_getwholeline gives it
    pos = end;

    // "commit <oid>" / "From <oid>" start the next patch; "\ No newline at end of file" is skipped.
    let p = line;
    const isCommit = line.startsWith('commit ');
    const isFrom = line.startsWith('From ');
    if (isCommit) p = line.slice(7);
    else if (isFrom) p = line.slice(5);
    if (!isCommit && !isFrom && line.startsWith('\\ ') && line.length > 12) continue;
    if ((isCommit || isFrom) && /^[0-9a-f]{40}/.test(p)) {
      if (patchlen) break; // the next patch begins; we hash only the first
      continue;
    }

    // commit message and mail headers before the first diff are ignored
    if (!patchlen && !line.startsWith('diff ')) continue;

    if (before === -1) {
      if (line.startsWith('GIT binary patch') || line.startsWith('Binary files')) {
        diffIsBinary = true;
        before = 0;
        ctx.update(preOid);
        ctx.update(postOid);
        flush();
        continue;
      } else if (line.startsWith('index ')) {
        const q = line.slice(6);
        const dots = q.indexOf('..');
        if (dots >= 0) {
          const rest = q.slice(dots + 2);
          const sp = rest.indexOf(' ');
          preOid = q.slice(0, dots);
          postOid = sp >= 0 ? rest.slice(0, sp) : rest.slice(0, rest.length - 1);
        }
        continue;
      } else if (line.startsWith('--- ')) {
        before = after = 1;
      } else if (!isAlpha(line.charCodeAt(0))) {
        break;
      }
    }

    if (diffIsBinary) {
      if (line.startsWith('diff ')) {
        diffIsBinary = false;
        before = -1;
      }
      continue;
    }

    if (before === 0 && after === 0) {
      if (line.startsWith('@@ -')) {
        const h = scanHunkHeader(line);
        if (h) {
          before = h.before;
          after = h.after;
        }
        continue;
      }
      if (!line.startsWith('diff ')) break;
      flush();
      before = after = -1;
    }

    const c0 = line[0];
    if (c0 === '-' || c0 === ' ') before--;
    if (c0 === '+' || c0 === ' ') after--;

    const stripped = removeSpace(line);
    patchlen += stripped.length;
    ctx.update(stripped, 'utf8');
  }
  if (!patchlen) return null;
  flush();
  return Buffer.from(sum).toString('hex');
}
