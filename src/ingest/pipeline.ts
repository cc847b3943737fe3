/**
 * The ingest run: recognise sources, read each one, prepare messages in worker threads, write
 * them in batched transactions, then place and thread. Re-running is cheap and safe:
 *  - a source whose content hash is unchanged and that completed before is skipped whole;
 *  - an item this source already recorded at the same offset with the same bytes is skipped
 *    before parsing;
 *  - every batch is one transaction, and the source is marked complete only at its end, so a run
 *    killed at any moment leaves whole messages, and the next run finishes the job.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Db } from '../store/db.ts';
import { getMeta } from '../store/db.ts';
import { ArchiveWriter, type SourceRef } from '../store/writer.ts';
import { SourceTables } from '../store/source-tables.ts';
import { detectSources, type Skipped } from './detect.ts';
import { readSource, type ReadOptions } from './readers.ts';
import { PreparePool } from './workers.ts';
import type { PreparedMessage } from '../store/types.ts';
import type { ThreadingChanges } from '../store/threading-tables.ts';
import { relieveHeap } from '../util/heap.ts';
import type { SourceItem, SourceSpec } from './types.ts';
import { sha256 } from '../mail/msgid.ts';
import { readThreadingHeaders } from './headers.ts';
import { rethread, type ThreadStats } from '../thread/threader.ts';
import { placeMessages, type PlaceStats } from '../thread/place.ts';
import { peopleRowids } from '../store/placement.ts';
import { Progress, type ProgressSink } from '../util/progress.ts';
import type { PostStep } from './post.ts';
import type { MboxFlavour } from '../mail/mbox.ts';

/** Messages written per transaction: large enough to amortise the commit, small enough to lose little on a kill. */
const BATCH_SIZE = 500;
/** Messages being prepared at once (bounds memory: each holds its raw bytes and parse result). */
const IN_FLIGHT = 64;

export interface IngestOptions {
  paths: string[];
  cwd: string;
  gitRange?: string | null;
  gitPaths?: string[];
  mboxFlavour?: MboxFlavour;
  /** Only messages whose Message-ID is in this set (thread extraction); null for all. */
  onlyIds?: Set<string> | null;
  progress?: ProgressSink;
  /** Steps run after threading (argument graph, search index), given the ids of messages added. */
  afterIngest?: PostStep[];
}

export interface SourceSummary {
  location: string;
  kind: string;
  status: 'read' | 'unchanged' | 'failed';
  added: number;
  alreadyPresent: number;
  duplicates: number;
  skipped: number;
  error?: string;
}

export interface IngestSummary {
  sources: SourceSummary[];
  /** New messages stored. */
  added: number;
  /** Items this archive already held from the same source (a re-run). */
  alreadyPresent: number;
  /** The same message arriving from another source or twice in one: stored once, source recorded. */
  duplicates: number;
  /** Archive pages merged into the raw mail they copy. */
  mergedPages: number;
  /** Different messages that reused a Message-ID: both kept. */
  reusedIds: number;
  /** Items not stored, grouped by reason. */
  skipped: Record<string, number>;
  /** Paths that were not sources. */
  notSources: Skipped[];
  warnings: number;
  commits: { added: number; updated: number; duplicate: number };
  documents: number;
  threads: ThreadStats | null;
  placed: PlaceStats | null;
  /** Seconds spent in each step after reading (thread = placing and threading; graph; search). */
  steps: Record<string, number>;
  /** Seconds spent reading, parsing and storing the sources. */
  readSeconds: number;
  seconds: number;
  messagesPerSecond: number;
}

/** Content identity of a source: a file hash, a git tip, or a directory listing digest. */
export async function sourceIdentity(spec: SourceSpec): Promise<{ sha256: string; size: number | null }> {
  if (spec.kind === 'public-inbox' || spec.kind === 'git-repo') {
    const rev = spec.kind === 'git-repo' ? spec.git?.range?.split('..').pop() || 'HEAD' : 'HEAD';
    const head = execFileSync('git', ['-C', spec.path, 'rev-parse', rev], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
    const h = createHash('sha256').update(
      `${spec.kind}\0${head}\0${spec.git?.range ?? ''}\0${(spec.git?.paths ?? []).join('\0')}`,
    );
    return { sha256: h.digest('hex'), size: null };
  }
  if (spec.kind === 'maildir') {
    const h = createHash('sha256');
    let size = 0;
    for (const sub of ['cur', 'new']) {
      for (const name of readdirSync(join(spec.path, sub)).sort()) {
        const st = statSync(join(spec.path, sub, name));
        size += st.size;
        h.update(`${sub}/${name}\0${st.size}\0${st.mtimeMs}\n`);
      }
    }
    return { sha256: h.digest('hex'), size };
  }
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(spec.path, {
    highWaterMark: 1024 * 1024,
  }) as AsyncIterable<Buffer>) {
    h.update(chunk);
    size += chunk.length;
  }
  return { sha256: h.digest('hex'), size };
}

interface QueueEntry {
  item: SourceItem;
  rawSha?: string;
  prepared?: Promise<PreparedMessage>;
  /** For a message whose exact bytes are already stored: that message's row id. */
  knownId?: number;
}

export async function ingest(db: Db, opts: IngestOptions): Promise<IngestSummary> {
  const t0 = performance.now();
  const { sources, skipped: notSources } = detectSources(opts.paths, opts.cwd, {
    gitRange: opts.gitRange ?? null,
    gitPaths: opts.gitPaths ?? [],
  });
  const writer = new ArchiveWriter(db);
  const sourceRows = new SourceTables(db);
  const summary: IngestSummary = {
    sources: [],
    added: 0,
    alreadyPresent: 0,
    duplicates: 0,
    mergedPages: 0,
    reusedIds: 0,
    skipped: {},
    notSources,
    warnings: 0,
    commits: { added: 0, updated: 0, duplicate: 0 },
    documents: 0,
    threads: null,
    placed: null,
    steps: {},
    readSeconds: 0,
    seconds: 0,
    messagesPerSecond: 0,
  };
  const addedIds: number[] = [];
  const dirtyBefore = getMeta(db, 'threads_dirty') === '1';
  // what the people tables held before this run: placement re-places what the new rows can change
  const peopleBefore = peopleRowids(db);
  const progress = new Progress(opts.progress ?? { isTTY: false, err: () => {} }, 'ingest');
  const warningsBefore = writer.problemCount();
  const pool = new PreparePool();
  let processed = 0;
  try {
    for (const spec of sources) {
      const ss: SourceSummary = {
        location: spec.location,
        kind: spec.kind,
        status: 'read',
        added: 0,
        alreadyPresent: 0,
        duplicates: 0,
        skipped: 0,
      };
      summary.sources.push(ss);
      let identity: { sha256: string; size: number | null };
      try {
        identity = await sourceIdentity(spec);
      } catch (e) {
        ss.status = 'failed';
        ss.error = (e as Error).message;
        continue;
      }
      const existing = sourceRows.find(spec.kind, spec.location);
      if (
        existing &&
        existing.sha256 === identity.sha256 &&
        existing.status === 'complete' &&
        !opts.onlyIds
      ) {
        ss.status = 'unchanged';
        continue;
      }
      let sourceId: number;
      if (existing) {
        sourceId = existing.id;
        sourceRows.reopen(sourceId, identity.sha256, identity.size);
      } else {
        sourceId = sourceRows.add(spec.kind, spec.location, identity.sha256, identity.size);
      }

      const readOpts: ReadOptions & { bytesRead?: { n: number } } = { mboxFlavour: opts.mboxFlavour };
      const queue: QueueEntry[] = [];
      let batch: QueueEntry[] = [];
      let batchResults: (PreparedMessage | null)[] = [];

      const writeBatch = (): void => {
        if (!batch.length) return;
        const entries = batch;
        const results = batchResults;
        batch = [];
        batchResults = [];
        writer.transaction(() => {
          entries.forEach((e, k) => applyEntry(e, results[k] ?? null));
          sourceRows.refreshMessageCount(sourceId);
        });
      };

      const applyEntry = (e: QueueEntry, p: PreparedMessage | null): void => {
        const it = e.item;
        if (it.kind === 'problem') {
          const skippedCodes = new Set(['too-large', 'no-commits']);
          const sev = skippedCodes.has(it.code) ? 'skipped' : 'warning';
          writer.problem(sourceId, it.offset, null, sev, it.code, it.detail);
          if (sev === 'skipped') {
            summary.skipped[it.code] = (summary.skipped[it.code] ?? 0) + 1;
            ss.skipped++;
          }
          return;
        }
        if (it.kind === 'commit') {
          const r = writer.storeCommit(it.commit, sourceId, it.offset);
          summary.commits[r.outcome]++;
          return;
        }
        if (it.kind === 'document') {
          if (writer.storeDocument(sourceId, it.title, it.url, it.text) === 'added') summary.documents++;
          return;
        }
        const ref: SourceRef = { sourceId, offset: it.offset, locator: it.locator, envelope: it.envelope };
        if (e.knownId !== undefined) {
          writer.addSource(e.knownId, ref, e.rawSha!);
          summary.duplicates++;
          ss.duplicates++;
          return;
        }
        if (!p) return;
        const r = writer.storeMessage(p, it.raw, ref);
        if (r.outcome === 'duplicate') {
          summary.duplicates++;
          ss.duplicates++;
        } else {
          if (r.outcome === 'reused-id') summary.reusedIds++;
          summary.added++;
          ss.added++;
          addedIds.push(r.id);
        }
      };

      const drainOne = async (): Promise<void> => {
        const e = queue.shift()!;
        let p: PreparedMessage | null = null;
        if (e.prepared) {
          try {
            p = await e.prepared;
          } catch (err) {
            e.item = {
              kind: 'problem',
              offset: e.item.offset,
              code: 'prepare-failed',
              detail: `could not process message: ${(err as Error).message}`,
            };
          }
        }
        batch.push(e);
        batchResults.push(p);
        processed++;
        if (batch.length >= BATCH_SIZE) writeBatch();
      };

      try {
        for await (const item of readSource(spec, readOpts)) {
          const entry: QueueEntry = { item };
          if (item.kind === 'message') {
            const rawSha = sha256(item.raw);
            entry.rawSha = rawSha;
            if (opts.onlyIds) {
              const h = readThreadingHeaders(item.raw);
              if (!h.messageId || !opts.onlyIds.has(h.messageId)) continue;
            }
            if (writer.hasSourceItem(sourceId, item.offset, rawSha)) {
              summary.alreadyPresent++;
              ss.alreadyPresent++;
              processed++;
              continue;
            }
            const known = writer.messageWithRaw(rawSha);
            if (known !== null) entry.knownId = known;
            else entry.prepared = pool.prepare(item.raw, item.format);
          }
          queue.push(entry);
          if (queue.length >= IN_FLIGHT) await drainOne();
          progress.update(processed + summary.alreadyPresent, spec.location);
        }
        while (queue.length) await drainOne();
        writeBatch();
        sourceRows.complete(sourceId, new Date().toISOString());
      } catch (e) {
        while (queue.length) await drainOne().catch(() => {});
        writeBatch();
        ss.status = 'failed';
        ss.error = (e as Error).message;
        writer.problem(
          sourceId,
          null,
          null,
          'skipped',
          'source-failed',
          `reading stopped: ${(e as Error).message}`,
        );
      }
    }
  } finally {
    await pool.close();
    progress.done();
  }

  const runSteps = async (): Promise<void> => {
    for (const step of opts.afterIngest ?? []) {
      const t = performance.now();
      await step.run(db, addedIds);
      summary.steps[step.name] = +((performance.now() - t) / 1000).toFixed(2);
    }
  };
  summary.readSeconds = +((performance.now() - t0) / 1000).toFixed(2);
  const tPlace = performance.now();
  if (summary.added > 0 || getMeta(db, 'threads_dirty') === '1') {
    // Only what this run stored can have changed the threading, unless an earlier run stopped
    // between storing mail and threading it: then nobody knows what it stored, and all is redone.
    const changes: ThreadingChanges | undefined = dirtyBefore
      ? undefined
      : { messages: new Set(writer.threadingTouched), threads: new Set() };
    // the reading left its garbage in the heap; the passes below read every message again
    relieveHeap();
    summary.placed = placeMessages(db, changes, {
      peopleRowids: peopleBefore,
      replacedDates: writer.replacedDates,
    });
    summary.mergedPages = summary.placed.merged;
    summary.threads = rethread(db, { changed: changes });
    summary.steps.thread = +((performance.now() - tPlace) / 1000).toFixed(2);
    await runSteps();
  } else if (
    summary.commits.added > 0 ||
    summary.commits.updated > 0 ||
    (opts.afterIngest ?? []).some((step) => step.stale?.(db))
  ) {
    // new commits and no new mail (the graph's commit links are stale), or derived data made by
    // an older version of its rules: rebuild it, although nothing new was read
    await runSteps();
  }
  const warningsAfter = writer.problemCount();
  summary.warnings =
    warningsAfter - warningsBefore - Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  summary.seconds = (performance.now() - t0) / 1000;
  summary.messagesPerSecond =
    (summary.added + summary.duplicates + summary.alreadyPresent) / Math.max(summary.seconds, 1e-6);
  return summary;
}
