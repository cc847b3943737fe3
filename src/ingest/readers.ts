/**
 * One reader per source kind, all with the same shape: an async generator of items in source
 * order. Readers never throw for bad content; they yield a problem item with the offset instead.
 * They do throw for an unreadable source (I/O error), which the pipeline reports per source.
 */
import {
  createReadStream,
  readFileSync,
  readdirSync,
  statSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { createGunzip } from 'node:zlib';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readMbox, type MboxFlavour } from '../mail/mbox.ts';
import { parseCommitText, readGitRepo } from './commits.ts';
import { MAX_MESSAGE_BYTES } from '../util/limits.ts';
import type { SourceItem, SourceSpec } from './types.ts';

/** Largest commit-text or document file read whole. */
const MAX_TEXT_SOURCE_BYTES = 512 * 1024 * 1024;

export interface ReadOptions {
  mboxFlavour?: MboxFlavour;
  maxMessageBytes?: number;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** A byte stream of the file, gunzipped when it is gzip; truncation becomes a thrown error at the end. */
async function* fileBytes(path: string): AsyncGenerator<Buffer> {
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  if (!isGzip(path)) {
    yield* file as AsyncIterable<Buffer>;
    return;
  }
  const gz = createGunzip({ chunkSize: 256 * 1024 });
  file.on('error', (e) => gz.destroy(e));
  yield* file.pipe(gz) as AsyncIterable<Buffer>;
}

async function* readMboxSource(spec: SourceSpec, opts: ReadOptions): AsyncGenerator<SourceItem> {
  // lore and public-inbox write mboxrd; mboxo must be asked for (--mbox-flavour mboxo).
  const flavour = opts.mboxFlavour ?? 'mboxrd';
  let lastOffset = 0;
  try {
    for await (const it of readMbox(fileBytes(spec.path), {
      flavour,
      maxMessageBytes: opts.maxMessageBytes ?? MAX_MESSAGE_BYTES,
    })) {
      lastOffset = it.offset;
      if (it.kind === 'message')
        yield { kind: 'message', format: 'rfc822', offset: it.offset, envelope: it.envelope, raw: it.raw };
      else yield { kind: 'problem', offset: it.offset, code: it.code, detail: it.detail };
    }
  } catch (e) {
    const msg = (e as Error).message;
    if (/unexpected end of file|incorrect header check|invalid|Z_/i.test(msg)) {
      // A truncated or corrupt gzip stream: everything before the damage has been yielded.
      yield {
        kind: 'problem',
        offset: lastOffset,
        code: 'truncated-gzip',
        detail: `gzip stream damaged after offset ${lastOffset}: ${msg}; later messages lost`,
      };
      return;
    }
    throw e;
  }
}

async function* readEml(
  spec: SourceSpec,
  opts: ReadOptions,
  format: 'rfc822' | 'hypermail-text' | 'hypermail-html',
): AsyncGenerator<SourceItem> {
  const size = statSync(spec.path).size;
  const max = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  if (size > max) {
    yield {
      kind: 'problem',
      offset: 0,
      code: 'too-large',
      detail: `message of ${size} bytes exceeds the limit of ${max} bytes (MAX_MESSAGE_BYTES); skipped`,
    };
    return;
  }
  let raw = readFileSync(spec.path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    const chunks: Buffer[] = [];
    for await (const c of fileBytes(spec.path)) chunks.push(c);
    raw = Buffer.concat(chunks);
  }
  yield { kind: 'message', format, offset: 0, raw };
}

async function* readMaildir(spec: SourceSpec, opts: ReadOptions): AsyncGenerator<SourceItem> {
  const max = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const files: string[] = [];
  for (const sub of ['cur', 'new']) {
    for (const name of readdirSync(join(spec.path, sub)).sort())
      if (!name.startsWith('.')) files.push(`${sub}/${name}`);
  }
  let seq = 0;
  for (const rel of files) {
    const p = join(spec.path, rel);
    const size = statSync(p).size;
    if (size > max) {
      yield {
        kind: 'problem',
        offset: seq++,
        code: 'too-large',
        detail: `${rel}: ${size} bytes exceeds MAX_MESSAGE_BYTES (${max}); skipped`,
      };
      continue;
    }
    yield { kind: 'message', format: 'rfc822', offset: seq++, locator: rel, raw: readFileSync(p) };
  }
}

/**
 * A public-inbox v2 epoch: each commit holds one message as blob `m` (a deletion commit holds `d`).
 * Two processes in all: `git rev-list` lists commits oldest first, and one `git cat-file --batch`
 * returns every `<commit>:m` blob; never a process per message.
 */
async function* readPublicInbox(spec: SourceSpec, opts: ReadOptions): AsyncGenerator<SourceItem> {
  const max = opts.maxMessageBytes ?? MAX_MESSAGE_BYTES;
  const list = spawn('git', ['-C', spec.path, 'rev-list', '--reverse', 'HEAD'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const cat = spawn('git', ['-C', spec.path, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let catErr = '';
  cat.stderr.on('data', (d: Buffer) => (catErr += d.toString()));
  const commits: string[] = [];
  let pendingLine = '';
  // Feed commit names to cat-file as they arrive; remember the order to label the answers.
  list.stdout.on('data', (d: Buffer) => {
    const s = pendingLine + d.toString('latin1');
    const lines = s.split('\n');
    pendingLine = lines.pop() ?? '';
    for (const l of lines) {
      if (!l) continue;
      commits.push(l);
      cat.stdin.write(`${l}:m\n`);
    }
  });
  list.on('close', () => {
    if (pendingLine) {
      commits.push(pendingLine);
      cat.stdin.write(`${pendingLine}:m\n`);
    }
    cat.stdin.end();
  });

  // Parse cat-file --batch output: "<sha> blob <size>\n<bytes>\n" or "<name> missing\n".
  let buf: Buffer = Buffer.alloc(0);
  let seq = 0;
  const chunks = cat.stdout as AsyncIterable<Buffer>;
  for await (const chunk of chunks) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) break;
      const header = buf.toString('latin1', 0, nl);
      const commit = commits[seq] ?? '?';
      if (/ missing$/.test(header)) {
        // A deletion commit (file d) or an empty epoch tip: nothing to ingest.
        buf = buf.subarray(nl + 1);
        seq++;
        continue;
      }
      const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
      if (!m) throw new Error(`unexpected git cat-file output: ${header.slice(0, 100)}`);
      const size = Number(m[3]);
      if (buf.length < nl + 1 + size + 1) break;
      const data = buf.subarray(nl + 1, nl + 1 + size);
      buf = buf.subarray(nl + 1 + size + 1);
      if (size > max)
        yield {
          kind: 'problem',
          offset: seq,
          code: 'too-large',
          detail: `commit ${commit}: message of ${size} bytes exceeds MAX_MESSAGE_BYTES; skipped`,
        };
      else yield { kind: 'message', format: 'rfc822', offset: seq, locator: commit, raw: Buffer.from(data) };
      seq++;
    }
  }
  await new Promise<void>((res) => (cat.exitCode !== null ? res() : cat.on('close', () => res())));
  if (cat.exitCode !== 0) throw new Error(`git cat-file failed: ${catErr.trim().slice(0, 300)}`);
}

async function* readCommitTextSource(spec: SourceSpec): AsyncGenerator<SourceItem> {
  const size = statSync(spec.path).size;
  if (size > MAX_TEXT_SOURCE_BYTES) {
    yield {
      kind: 'problem',
      offset: 0,
      code: 'too-large',
      detail: `commit text of ${size} bytes is larger than ${MAX_TEXT_SOURCE_BYTES}; skipped`,
    };
    return;
  }
  const chunks: Buffer[] = [];
  for await (const c of fileBytes(spec.path)) chunks.push(c);
  const commits = parseCommitText(Buffer.concat(chunks).toString('utf8'));
  if (!commits.length)
    yield { kind: 'problem', offset: 0, code: 'no-commits', detail: 'no commit found in the text' };
  let i = 0;
  for (const commit of commits) yield { kind: 'commit', offset: i++, commit };
}

async function* readGitRepoSource(spec: SourceSpec): AsyncGenerator<SourceItem> {
  let i = 0;
  for await (const commit of readGitRepo(spec.path, spec.git?.range ?? null, spec.git?.paths ?? [])) {
    yield { kind: 'commit', offset: i++, commit };
  }
}

function readDocument(spec: SourceSpec): SourceItem[] {
  const text = readFileSync(spec.path, 'utf8').replace(/\r\n/g, '\n');
  const headEnd = text.indexOf('\n\n');
  const head = headEnd < 0 ? text : text.slice(0, headEnd);
  const title = /^Title:\s*(.*)$/m.exec(head)?.[1]?.trim() ?? spec.location;
  const url = /^X-Source-URL:\s*(\S+)/m.exec(head)?.[1] ?? null;
  return [{ kind: 'document', offset: 0, title, url, text: headEnd < 0 ? '' : text.slice(headEnd + 2) }];
}

/** Read any recognised source. */
export async function* readSource(spec: SourceSpec, opts: ReadOptions = {}): AsyncGenerator<SourceItem> {
  switch (spec.kind) {
    case 'mbox':
      yield* readMboxSource(spec, opts);
      return;
    case 'eml':
      yield* readEml(spec, opts, 'rfc822');
      return;
    case 'hypermail-text':
      yield* readEml(spec, opts, 'hypermail-text');
      return;
    case 'hypermail-html':
      yield* readEml(spec, opts, 'hypermail-html');
      return;
    case 'maildir':
      yield* readMaildir(spec, opts);
      return;
    case 'public-inbox':
      yield* readPublicInbox(spec, opts);
      return;
    case 'commit-text':
      yield* readCommitTextSource(spec);
      return;
    case 'git-repo':
      yield* readGitRepoSource(spec);
      return;
    case 'document':
      yield* readDocument(spec);
      return;
  }
}
