/**
 * Replay an archive N times into a bigger one, for the scaling curve (issue 14 item 4):
 * `node --import tsx bench/scale/replay.ts --factor N --out DIR [--shift interleave|years:Y] SOURCES…`.
 *
 * Copy 0 is the archive byte for byte. Copy k ≥ 1 is every message again with `=rk=` put into each
 * Message-ID, In-Reply-To and References id (before the last "@", so the domain stays), its Date
 * moved, and an `X-Argmap-Replay: k` header first, so that no copy is byte-identical to another
 * (a message whose ids and date cannot be rewritten would otherwise be taken for a double
 * delivery). Threads stay threads within a copy and never join across copies: the id map is one
 * to one per copy, and the suffix is decodable from the right, so two copies never share an id.
 *
 * Dates: `interleave` (the default) moves copy k by k minutes, so an N× archive spans the same
 * years with N times the mail per day, as a bigger list does (LKML carries ~40× cgroups' daily
 * volume); `years:8` moves copy k by 8k years instead (stays below argmap's year-2100 sanity limit
 * up to 10 copies of a 2019–2026 archive).
 *
 * Output: one `replay-<source>.mbox.gz` per source (gzip level 6, like the archive), holding copies
 * 0…N−1 of that source in turn. It streams: one message in memory at a time, whatever N is.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { basename, join, resolve } from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { readMbox, writeMboxrdMessage } from '../../src/mail/mbox.ts';
import { parseMailDate } from '../../src/mail/date.ts';
import { detectSources } from '../../src/ingest/detect.ts';

/** How the dates of copy k ≥ 1 are moved. */
export type Shift = { kind: 'interleave'; minutes: number } | { kind: 'years'; years: number };

/** The default: copy k is k minutes later. */
export const DEFAULT_SHIFT: Shift = { kind: 'interleave', minutes: 1 };

/** Parse `interleave`, `interleave:M` (minutes per copy) or `years:Y`. */
export function parseShift(s: string): Shift {
  const m = /^(interleave|years)(?::(\d+))?$/.exec(s);
  if (!m) throw new Error(`--shift: expected interleave[:MINUTES] or years:Y, got ${JSON.stringify(s)}`);
  if (m[1] === 'interleave') return { kind: 'interleave', minutes: m[2] ? Number(m[2]) : 1 };
  return { kind: 'years', years: m[2] ? Number(m[2]) : 8 };
}

/**
 * The id of copy `copy` of the message id `id` (no brackets). Copy 0 keeps it. The tag `=rK=` ends
 * right before the last "@" (or the end), and K has no leading zero, so reading the tag back from
 * there gives K: ids of different copies never meet.
 */
export function replayId(id: string, copy: number): string {
  if (copy === 0) return id;
  const tag = `=r${copy}=`;
  const at = id.lastIndexOf('@');
  return at < 0 ? id + tag : id.slice(0, at) + tag + id.slice(at);
}

/** True for an id that already looks like a replayed one (it would collide with copy 0). */
export function looksReplayed(id: string): boolean {
  return /=r[1-9]\d*=(@[^@]*)?$/.test(id);
}

// Rewrites follow src/mail/msgid.ts's extractMsgIds, so that argmap reads from the copy exactly the
// ids it reads from the original, with the tag: bracketed ids when there is a usable one, else bare
// tokens with an "@".
const BRACKETED = /<([^<>]{1,998})>/g;

function usableBracketed(inner: string): boolean {
  const hasSpace = /\s/.test(inner);
  if (hasSpace && !inner.includes('@')) return false;
  return (hasSpace ? inner.replace(/\s+/g, '') : inner.trim()).length > 0;
}

/** Put the tag into raw id text that may hold folding whitespace, where replayId would put it after unfolding. */
function tagRaw(inner: string, copy: number): string {
  const at = inner.lastIndexOf('@');
  if (at >= 0) return inner.slice(0, at) + `=r${copy}=` + inner.slice(at);
  const end = inner.trimEnd().length;
  return inner.slice(0, end) + `=r${copy}=` + inner.slice(end);
}

/** Rewrite every id in one header value (folding kept). */
export function rewriteIdHeader(value: string, copy: number): string {
  if (copy === 0) return value;
  let usable = 0;
  const out = value.replace(BRACKETED, (all, inner: string) => {
    if (!usableBracketed(inner)) return all;
    usable++;
    return `<${tagRaw(inner, copy)}>`;
  });
  if (usable > 0) return out;
  // No bracketed id: the bare tokens with an "@" (and no "(") are the ids.
  return value.replace(/[^\s,;]+/g, (tok) =>
    tok.includes('@') && !tok.includes('(') ? tagRaw(tok, copy) : tok,
  );
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date of `ms` written in the zone `offsetMin` minutes east of UTC. */
function formatDate(ms: number, offsetMin: number): string {
  const d = new Date(ms + offsetMin * 60_000);
  const p = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return (
    `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${sign}${p(Math.floor(a / 60))}${p(a % 60)}`
  );
}

/**
 * The Date header value of copy `copy`, or the value unchanged when argmap could not parse it
 * either (the copy then keeps the same unparsable date, as the original does).
 */
export function shiftDate(value: string, copy: number, shift: Shift): string {
  if (copy === 0) return value;
  const ms = parseMailDate(value);
  if (ms === null) return value;
  const z = /([+-])(\d{2})(\d{2})\b/.exec(value.replace(/\([^()]*\)/g, ''));
  const offset = z ? (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) : 0;
  if (shift.kind === 'interleave') return formatDate(ms + copy * shift.minutes * 60_000, offset);
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + copy * shift.years);
  return formatDate(d.getTime(), offset);
}

const ID_FIELDS = new Set(['message-id', 'in-reply-to', 'references']);

/**
 * Copy `copy` of one raw message: ids tagged, Date moved, `X-Argmap-Replay` first. Only the header
 * block changes; the body (quotes, patches, attachments) is kept byte for byte.
 */
export function rewriteMessage(raw: Buffer, copy: number, shift: Shift = DEFAULT_SHIFT): Buffer {
  if (copy === 0) return raw;
  // Headers end at the first empty line; a message without one is all headers.
  let end = -1;
  for (let i = raw.indexOf(0x0a); i >= 0; i = raw.indexOf(0x0a, i + 1)) {
    const next = raw[i + 1];
    if (next === 0x0a || (next === 0x0d && raw[i + 2] === 0x0a)) {
      end = i + 1;
      break;
    }
  }
  if (raw[0] === 0x0a || (raw[0] === 0x0d && raw[1] === 0x0a)) end = 0;
  const head = raw.toString('latin1', 0, end < 0 ? raw.length : end);
  const crlf = head.includes('\r\n');
  // Fields: a line that starts with neither space nor tab starts one; continuation lines stay with it.
  const fields = head.split(/(?<=\n)(?=[^ \t])/);
  const out = fields.map((f) => {
    const colon = f.indexOf(':');
    if (colon <= 0) return f;
    const name = f.slice(0, colon).trim().toLowerCase();
    const value = f.slice(colon + 1);
    if (ID_FIELDS.has(name)) return f.slice(0, colon + 1) + rewriteIdHeader(value, copy);
    if (name === 'date') {
      const nl = /\r?\n$/.exec(value)?.[0] ?? '';
      const v = value.slice(0, value.length - nl.length);
      const lead = /^\s*/.exec(v)![0];
      const shifted = shiftDate(v.trim(), copy, shift);
      return shifted === v.trim() ? f : f.slice(0, colon + 1) + lead + shifted + nl;
    }
    return f;
  });
  const tagLine = `X-Argmap-Replay: ${copy}${crlf ? '\r\n' : '\n'}`;
  return Buffer.concat([
    Buffer.from(tagLine + out.join(''), 'latin1'),
    end < 0 ? Buffer.alloc(0) : raw.subarray(end),
  ]);
}

function openSource(path: string): AsyncIterable<Buffer> {
  const s = createReadStream(path);
  return (path.endsWith('.gz') ? s.pipe(createGunzip()) : s) as AsyncIterable<Buffer>;
}

/** What one replay wrote. */
export interface ReplaySummary {
  factor: number;
  shift: Shift;
  files: string[];
  /** Messages written (all copies). */
  messages: number;
  /** Uncompressed mbox bytes written. */
  bytes: number;
  /** Original ids that look like replayed ones (they could collide with a copy); expected 0. */
  suspiciousIds: number;
}

/** Write copies 0…factor−1 of each mbox source into `outDir` (one .mbox.gz per source). */
export async function replayArchive(
  sources: string[],
  factor: number,
  outDir: string,
  shift: Shift = DEFAULT_SHIFT,
): Promise<ReplaySummary> {
  mkdirSync(outDir, { recursive: true });
  const summary: ReplaySummary = { factor, shift, files: [], messages: 0, bytes: 0, suspiciousIds: 0 };
  for (const src of sources) {
    const name = basename(src)
      .replace(/\.gz$/, '')
      .replace(/\.mbox$/, '');
    const file = join(outDir, `replay-${name}.mbox.gz`);
    const gz = createGzip({ level: 6 });
    const done = pipeline(gz, createWriteStream(file));
    for (let copy = 0; copy < factor; copy++) {
      for await (const it of readMbox(openSource(src))) {
        if (it.kind !== 'message') continue;
        if (copy === 0) {
          const mid = /^message-id:\s*<([^<>]*)>/im.exec(it.raw.toString('latin1', 0, 8192));
          if (mid && looksReplayed(mid[1]!)) summary.suspiciousIds++;
        }
        const bytes = writeMboxrdMessage(rewriteMessage(it.raw, copy, shift), it.envelope);
        summary.messages++;
        summary.bytes += bytes.length;
        if (!gz.write(bytes)) await once(gz, 'drain');
      }
    }
    gz.end();
    await done;
    summary.files.push(file);
  }
  return summary;
}

/** Read every message of an mbox byte stream (for tests and small inputs). */
export async function messagesOf(input: Buffer): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const it of readMbox(Readable.from([input]) as AsyncIterable<Buffer>))
    if (it.kind === 'message') out.push(it.raw);
  return out;
}

const HELP = `bench/scale/replay.ts — make an N× archive by replaying one (issue 14 item 4)

Usage:
  node --import tsx bench/scale/replay.ts --factor N --out DIR [--shift S] [--json] SOURCES…

Options:
      --factor N     copies to write (copy 0 is the original byte for byte); default 3
      --out DIR      output directory (one replay-<source>.mbox.gz per source); required
      --shift S      interleave[:MINUTES] (default; copy k is k·MINUTES later, same years, denser)
                     or years:Y (copy k is k·Y years later)
      --json         print the summary as JSON
  -h, --help         show this help

SOURCES are mbox(.gz) files or directories of them (default ../shared/archive).`;

async function cli(argv: string[]): Promise<void> {
  if (argv.includes('-h') || argv.includes('--help')) {
    console.log(HELP);
    return;
  }
  let factor = 3;
  let out = '';
  let shift = DEFAULT_SHIFT;
  let json = false;
  const pos: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--factor') factor = Number(argv[++i]);
    else if (a === '--out') out = argv[++i] ?? '';
    else if (a === '--shift') shift = parseShift(argv[++i] ?? '');
    else if (a === '--json') json = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a} (see --help)`);
    else pos.push(a);
  }
  if (!Number.isInteger(factor) || factor < 1) throw new Error('--factor: a whole number ≥ 1');
  if (!out) throw new Error('--out DIR is required (see --help)');
  const sources = detectSources(pos.length ? pos : ['../shared/archive'], process.cwd())
    .sources.map((s) => s.path)
    .filter((p) => /\.mbox(\.gz)?$/.test(p))
    .sort();
  const t0 = performance.now();
  const s = await replayArchive(sources, factor, resolve(out), shift);
  const seconds = +((performance.now() - t0) / 1000).toFixed(1);
  if (json) console.log(JSON.stringify({ ...s, seconds }, null, 2));
  else
    console.log(
      `wrote ${s.messages} messages (${(s.bytes / 1e6).toFixed(0)} MB uncompressed) in ${s.files.length} files under ${out} in ${seconds} s` +
        (s.suspiciousIds ? `; ${s.suspiciousIds} original ids already look replayed` : ''),
    );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename))
  await cli(process.argv.slice(2));
