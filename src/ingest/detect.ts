/**
 * Recognise what a path holds by its content, not its name: mbox (plain or gzip), a single
 * RFC 822 message, a Maildir, a public-inbox v2 git epoch, a hypermail page (text or HTML), kernel
 * commit text (git log / format-patch), a kernel git repository, or a documentation text.
 * Directories that are none of these are walked, and every recognised source in them is returned.
 */
import { closeSync, openSync, readSync, readdirSync, statSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { isFromLine } from '../mail/mbox.ts';
import type { SourceKind, SourceSpec } from './types.ts';

/** How much of a file is read to recognise it. */
const SNIFF_BYTES = 16 * 1024;
/** Deepest directory level walked (a data tree is shallow; a symlink loop is not). */
const MAX_WALK_DEPTH = 12;

export interface Skipped {
  location: string;
  reason: string;
}

function sniff(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    let head = buf.subarray(0, n);
    if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      try {
        head = gunzipSync(head, { finishFlush: 2 /* Z_SYNC_FLUSH: accept a truncated stream */ });
      } catch {
        return Buffer.alloc(0);
      }
      head = head.subarray(0, SNIFF_BYTES);
    }
    return head;
  } finally {
    closeSync(fd);
  }
}

const FORMAT_PATCH_FROM = /^From [0-9a-f]{40} Mon Sep 17 00:00:00 2001$/;
const HEADER_LINE = /^[!-9;-~]{1,76}:/;
const HYPERMAIL_DATE = /^Date: [A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d{4} - \d{1,2}:\d{2}:\d{2}/m;

/** Classify file content. Returns null for content that is no known source. */
export function classifyContent(head: Buffer): SourceKind | null {
  if (head.length === 0) return null;
  const text = head.toString('latin1');
  const firstLine = text
    .slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'))
    .replace(/\r$/, '');
  if (FORMAT_PATCH_FROM.test(firstLine)) return 'commit-text';
  // An mbox may carry binary bytes inside a message; its From_ line says what it is.
  if (isFromLine(firstLine)) return 'mbox';
  // Binary garbage: NUL bytes in the first kilobytes never occur in a text source.
  if (head.subarray(0, 4096).includes(0)) return null;
  if (/^commit:? [0-9a-f]{7,40}\b/.test(firstLine)) return 'commit-text';
  // A header block: consecutive header lines (with folded continuations) up to a blank line.
  const lines = text.split(/\r?\n/);
  const names: string[] = [];
  for (const l of lines) {
    if (l === '') break;
    if (/^[ \t]/.test(l) && names.length) continue;
    if (!HEADER_LINE.test(l)) {
      names.length = 0;
      break;
    }
    names.push(l.slice(0, l.indexOf(':')).toLowerCase());
  }
  if (names.length >= 2 && names.some((n) => n === 'from' || n === 'message-id')) return 'eml';
  if (names[0] === 'title' && !names.includes('from')) return 'document';
  // Hypermail pages carry the headers as comments; some installs wrap them in PHP, not <html>.
  if (/<!-- (received|isoreceived|sent|isosent)="/.test(text) && /<!-- (name|subject|email)="/.test(text))
    return 'hypermail-html';

  if (HYPERMAIL_DATE.test(text.slice(0, 2000)) && /^From: /m.test(text.slice(0, 2000)))
    return 'hypermail-text';
  return null;
}

function isBareGit(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && existsSync(join(dir, 'objects')) && existsSync(join(dir, 'refs'));
}

/** A public-inbox v2 epoch: a git repository whose tip tree holds exactly the file `m` (or `d` for a deletion). */
export function isPublicInboxEpoch(dir: string): boolean {
  if (!isBareGit(dir) && !existsSync(join(dir, '.git'))) return false;
  try {
    const out = execFileSync('git', ['-C', dir, 'ls-tree', '--name-only', 'HEAD'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .split('\n')
      .filter(Boolean);
    return out.length > 0 && out.every((n) => n === 'm' || n === 'd');
  } catch {
    return false;
  }
}

export interface DetectOptions {
  /** Revision range for kernel git repositories (e.g. v5.18..v5.19). */
  gitRange?: string | null;
  /** Path filter for kernel git repositories (e.g. mm/memcontrol.c). */
  gitPaths?: string[];
}

/**
 * Resolve the PATH arguments of `argmap ingest` into sources. Directories that are not a source
 * themselves are walked (iteratively, in sorted order so runs are reproducible).
 */
export function detectSources(
  inputs: string[],
  cwd: string,
  opts: DetectOptions = {},
): { sources: SourceSpec[]; skipped: Skipped[] } {
  const sources: SourceSpec[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>();
  const stack: { location: string; path: string; depth: number; explicit: boolean }[] = inputs
    .map((l) => ({ location: l, path: resolve(cwd, l), depth: 0, explicit: true }))
    .reverse();
  while (stack.length) {
    const { location, path, depth, explicit } = stack.pop()!;
    if (seen.has(path)) continue;
    seen.add(path);
    let st;
    try {
      st = statSync(path);
    } catch (e) {
      skipped.push({
        location,
        reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      });
      continue;
    }
    if (st.isDirectory()) {
      if (existsSync(join(path, 'cur')) && existsSync(join(path, 'new'))) {
        sources.push({ kind: 'maildir', location, path });
        continue;
      }
      if (isPublicInboxEpoch(path)) {
        sources.push({ kind: 'public-inbox', location, path });
        continue;
      }
      if (isBareGit(path) || existsSync(join(path, '.git'))) {
        if (explicit && (opts.gitRange || opts.gitPaths?.length)) {
          sources.push({
            kind: 'git-repo',
            location,
            path,
            git: { range: opts.gitRange ?? null, paths: opts.gitPaths ?? [] },
          });
        } else {
          skipped.push({
            location,
            reason:
              'a git repository: give --git-range and/or --git-path to ingest its commits (e.g. --git-path mm/memcontrol.c)',
          });
        }
        continue;
      }
      if (depth >= MAX_WALK_DEPTH) {
        skipped.push({ location, reason: `deeper than ${MAX_WALK_DEPTH} levels; not walked` });
        continue;
      }
      const entries = readdirSync(path, { withFileTypes: true })
        .filter((e) => !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort()
        .reverse();
      for (const name of entries) {
        const child = join(path, name);
        stack.push({ location: join(location, name), path: child, depth: depth + 1, explicit: false });
      }
      continue;
    }
    if (!st.isFile()) {
      skipped.push({ location, reason: 'not a regular file' });
      continue;
    }
    if (st.size === 0) {
      skipped.push({ location, reason: 'empty file' });
      continue;
    }
    const kind = classifyContent(sniff(path));
    if (!kind) {
      skipped.push({ location, reason: 'not a recognised mail, commit or archive-page source' });
      continue;
    }
    sources.push({ kind, location, path });
  }
  return { sources, skipped };
}

/** Relative display form of a path for messages. */
export function displayPath(p: string, cwd: string): string {
  const r = relative(cwd, p);
  return r && !r.startsWith('..') ? r : p;
}
