/**
 * Patches and diffs: the list of files a patch touches (with added/removed line counts), diffs
 * rendered line by line with a class per kind (added, removed, hunk header, file header,
 * context) so the stylesheet colours them and wraps long lines, and a line diff between two
 * versions of the same patch (the series page's interdiff).
 */
import { html, join, type SafeHtml } from './html.ts';

export interface FileStat {
  path: string;
  added: number;
  removed: number;
}

/** Files touched by a unified diff (`diff --git` sections), in order. */
export function filesTouched(lines: string[]): FileStat[] {
  const out: FileStat[] = [];
  let cur: FileStat | null = null;
  let inHunk = false;
  for (const l of lines) {
    const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(l);
    if (m) {
      cur = { path: m[2]!, added: 0, removed: 0 };
      out.push(cur);
      inHunk = false;
      continue;
    }
    if (!cur) continue;
    if (l.startsWith('@@')) {
      inHunk = true;
      continue;
    }
    if (!inHunk) continue;
    if (/^-- ?$/.test(l))
      inHunk = false; // git-format-patch signature
    else if (l.startsWith('+') && !l.startsWith('+++ ')) cur.added++;
    else if (l.startsWith('-') && !l.startsWith('--- ')) cur.removed++;
  }
  return out;
}

export type DiffLineKind = 'add' | 'del' | 'hunk' | 'file' | 'meta' | 'ctx' | 'text';

/** The kind of one line of a patch part (text before the first `diff --git` is `text`). */
export function diffLineKinds(lines: string[]): DiffLineKind[] {
  const out: DiffLineKind[] = [];
  let inDiff = false;
  let inHunk = false;
  for (const l of lines) {
    if (l.startsWith('diff --git ')) {
      inDiff = true;
      inHunk = false;
      out.push('file');
    } else if (!inDiff) out.push('text');
    else if (l.startsWith('@@')) {
      inHunk = true;
      out.push('hunk');
    } else if (!inHunk) out.push('meta');
    else if (/^-- ?$/.test(l)) {
      inHunk = false;
      inDiff = false;
      out.push('text');
    } else if (l.startsWith('+')) out.push('add');
    else if (l.startsWith('-')) out.push('del');
    else out.push('ctx');
  }
  return out;
}

/** Render patch lines: the touched-files list, then the lines with their classes. */
export function renderPatch(lines: string[], idPrefix: string): SafeHtml {
  const files = filesTouched(lines);
  const kinds = diffLineKinds(lines);
  let fileNo = 0;
  const body = lines.map((l, i) => {
    const k = kinds[i]!;
    if (k === 'file') {
      fileNo++;
      return html`<span class="dl file" id="${idPrefix}-f${fileNo}">${l}</span>`;
    }
    // Block-level spans already end the line; a newline between them would show as a blank line.
    return html`<span class="dl ${k}">${l || ' '}</span>`;
  });
  return html`<div class="patch">${
    files.length
      ? html`<details class="files" open
          ><summary>${files.length} ${files.length === 1 ? 'file' : 'files'} changed,
            <span class="n-add">+${files.reduce((a, f) => a + f.added, 0)}</span>
            <span class="n-del">−${files.reduce((a, f) => a + f.removed, 0)}</span></summary
          ><ul>
            ${files.map(
              (f, i) =>
                html`<li>
                  <a href="#${idPrefix}-f${i + 1}"><code>${f.path}</code></a>
                  <span class="n-add">+${f.added}</span> <span class="n-del">−${f.removed}</span>
                </li>`,
            )}
          </ul></details
        >`
      : ''
  }<pre class="diff">${join(body)}</pre></div>`;
}

/** Longest inputs (in lines) the interdiff compares; longer pairs are shown as "too large". */
export const MAX_INTERDIFF_LINES = 4000;

export interface DiffOp {
  op: ' ' | '+' | '-';
  line: string;
}

/**
 * Line diff of `a` → `b` (Myers' O(ND) algorithm with a bounded edit distance). Returns null when
 * the inputs are too large or too different to compare cheaply.
 */
export function lineDiff(a: string[], b: string[], maxD = 2000): DiffOp[] | null {
  if (a.length > MAX_INTERDIFF_LINES || b.length > MAX_INTERDIFF_LINES) return null;
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxD);
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!)) x = v[off + k + 1]!;
      else x = v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return null;
  // Walk back through the trace.
  const ops: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[off + k - 1]! < vd[off + k + 1]!)) prevK = k + 1;
    else prevK = k - 1;
    const prevX = vd[off + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ op: ' ', line: a[x - 1]! });
      x--;
      y--;
    }
    if (x === prevX) ops.push({ op: '+', line: b[y - 1]! });
    else ops.push({ op: '-', line: a[x - 1]! });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ op: ' ', line: a[x - 1]! });
    x--;
    y--;
  }
  return ops.reverse();
}

/** Render a line diff with `context` unchanged lines around each change. */
export function renderLineDiff(ops: DiffOp[], context = 3): SafeHtml {
  const keep = new Array<boolean>(ops.length).fill(false);
  ops.forEach((o, i) => {
    if (o.op === ' ') return;
    for (let j = Math.max(0, i - context); j <= Math.min(ops.length - 1, i + context); j++) keep[j] = true;
  });
  const out: SafeHtml[] = [];
  let skipped = 0;
  ops.forEach((o, i) => {
    if (!keep[i]) {
      skipped++;
      return;
    }
    if (skipped) out.push(html`<span class="dl hunk">… ${skipped} unchanged lines …</span>`);
    skipped = 0;
    const k = o.op === '+' ? 'add' : o.op === '-' ? 'del' : 'ctx';
    out.push(html`<span class="dl ${k}">${o.op}${o.line}</span>`);
  });
  if (!out.length) return html`<p class="muted">No differences.</p>`;
  return html`<pre class="diff interdiff">${out}</pre>`;
}
