/**
 * Pulling whole threads out of a large archive, as lore's t.mbox.gz does: one pass reads only the
 * threading headers of every message and joins ids into components; the thread of a root is its
 * component. A second pass (ingest --thread, or extract) keeps the messages in those components.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { detectSources } from './detect.ts';
import { readSource } from './readers.ts';
import { IdComponents, readThreadingHeaders } from './headers.ts';
import { writeMboxrdMessage, DEFAULT_ENVELOPE } from '../mail/mbox.ts';
import { sha256 } from '../mail/msgid.ts';
import { Progress, type ProgressSink } from '../util/progress.ts';

const MAIL_KINDS = new Set(['mbox', 'eml', 'maildir', 'public-inbox']);

/** The Message-IDs of every message in the threads of `roots`, over the mail sources under `paths`. */
export async function threadIdsIn(
  paths: string[],
  cwd: string,
  roots: string[],
  sink?: ProgressSink,
): Promise<Set<string>> {
  const { sources } = detectSources(paths, cwd);
  const comps = new IdComponents();
  const progress = new Progress(sink ?? { isTTY: false, err: () => {} }, 'scanning threads');
  let n = 0;
  for (const spec of sources) {
    if (!MAIL_KINDS.has(spec.kind)) continue;
    for await (const it of readSource(spec)) {
      if (it.kind !== 'message') continue;
      comps.add(readThreadingHeaders(it.raw));
      progress.update(++n, spec.location);
    }
  }
  progress.done();
  return comps.closure(roots);
}

export interface ExtractSummary {
  roots: number;
  rootsMissing: string[];
  threadIds: number;
  written: number;
  duplicatesSkipped: number;
  out: string;
}

/**
 * Write every message of the threads of `roots` found under `paths` to an mboxrd file, byte for
 * byte as the sources hold them (From_ lines kept). A message found twice with the same bytes is
 * written once.
 */
export async function extractThreads(
  paths: string[],
  cwd: string,
  roots: string[],
  out: string,
  sink?: ProgressSink,
): Promise<ExtractSummary> {
  const ids = await threadIdsIn(paths, cwd, roots, sink);
  const { sources } = detectSources(paths, cwd);
  const ws = createWriteStream(out);
  const seen = new Set<string>();
  const found = new Set<string>();
  let written = 0;
  let dups = 0;
  for (const spec of sources) {
    if (!MAIL_KINDS.has(spec.kind)) continue;
    for await (const it of readSource(spec)) {
      if (it.kind !== 'message') continue;
      const h = readThreadingHeaders(it.raw);
      if (!h.messageId || !ids.has(h.messageId)) continue;
      const key = sha256(it.raw);
      if (seen.has(key)) {
        dups++;
        continue;
      }
      seen.add(key);
      found.add(h.messageId);
      if (!ws.write(writeMboxrdMessage(it.raw, it.envelope ?? DEFAULT_ENVELOPE))) await once(ws, 'drain');
      written++;
    }
  }
  ws.end();
  await once(ws, 'finish');
  return {
    roots: roots.length,
    rootsMissing: roots.filter((r) => !found.has(r)),
    threadIds: ids.size,
    written,
    duplicatesSkipped: dups,
    out,
  };
}
