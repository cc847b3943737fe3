/** Helpers for tests that use real archives: temp directories, a fresh database, running ingest. */
import { after, before } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb, type Db } from '../../src/store/db.ts';
import { ingest, type IngestSummary } from '../../src/ingest/pipeline.ts';
import { postIngestSteps } from '../../src/ingest/post.ts';

export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures');
export const fixture = (...p: string[]): string => join(FIXTURES, ...p);

export function tempDir(prefix = 'argmap-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new archive in a temp directory. */
export function freshDb(): { db: Db; file: string; dir: string; cleanup: () => void } {
  const t = tempDir();
  const file = join(t.dir, 'test.sqlite');
  const db = openDb(file);
  return {
    db,
    file,
    dir: t.dir,
    cleanup: () => {
      db.close();
      t.cleanup();
    },
  };
}

/** Run the ingest pipeline with the post-ingest steps, as `argmap ingest` does. */
export function ingestPaths(
  db: Db,
  paths: string[],
  extra: Partial<Parameters<typeof ingest>[1]> = {},
): Promise<IngestSummary> {
  return ingest(db, { paths, cwd: process.cwd(), afterIngest: postIngestSteps(), ...extra });
}

/**
 * Ingest one piece of an append test: `files` are texts (an mbox when it starts with a From_ line,
 * else an archive page), written to `dir` under names unique to piece `i`, then ingested together.
 */
export function ingestPiece(db: Db, dir: string, i: number, files: string[]): Promise<IngestSummary> {
  const paths = files.map((text, k) => {
    const p = join(dir, `piece-${i}-${k}${text.startsWith('From ') ? '.mbox' : '.txt'}`);
    writeFileSync(p, text, 'latin1');
    return p;
  });
  return ingestPaths(db, paths);
}

/** A new archive holding `paths`, ingested as `argmap ingest` would (the setup most suites share). */
export async function ingestedDb(paths: string[]): Promise<ReturnType<typeof freshDb>> {
  const f = freshDb();
  await ingestPaths(f.db, paths);
  return f;
}

/** One row as an object. */
export function row<T = Record<string, unknown>>(db: Db, sql: string, ...params: unknown[]): T {
  return db.prepare(sql).get(...params) as T;
}

export function rows<T = Record<string, unknown>>(db: Db, sql: string, ...params: unknown[]): T[] {
  return db.prepare(sql).all(...params) as T[];
}

/**
 * One archive of `paths` for a whole test file (or describe block): ingested before its tests,
 * removed after them. Read `.db` inside the tests.
 */
export function sharedArchive(paths: string[]): { readonly db: Db; readonly file: string } {
  let a: Awaited<ReturnType<typeof ingestedDb>> | undefined;
  before(async () => {
    a = await ingestedDb(paths);
  });
  after(() => a?.cleanup());
  return {
    get db(): Db {
      if (!a) throw new Error('sharedArchive: read .db inside a test, after the before hook');
      return a.db;
    },
    get file(): string {
      if (!a) throw new Error('sharedArchive: read .file inside a test, after the before hook');
      return a.file;
    },
  };
}
