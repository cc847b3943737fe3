/** Opening an archive: pragmas, migrations, and a clear error for files that are not archives. */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { UserError } from '../util/errors.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Open an existing archive read-only; fail if it does not exist. */
  readonly?: boolean;
  /** Fail instead of creating a missing file. */
  mustExist?: boolean;
}

/** Open (creating and migrating as needed) the archive at `file`. */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  if ((opts.readonly || opts.mustExist) && file !== ':memory:' && !existsSync(file)) {
    throw new UserError(`no archive at ${file}`, 'create one with: argmap ingest --db ' + file + ' PATH…');
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.mustExist ?? false });
  } catch (e) {
    throw new UserError(`cannot open ${file}: ${(e as Error).message}`);
  }
  try {
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = OFF'); // ids are checked by the writer; FK checks would double insert cost
    db.pragma('cache_size = -16384'); // 16 MiB: enough for the indexes of a hot batch
    db.pragma('temp_store = MEMORY');
    const version = currentVersion(db);
    if (version > SCHEMA_VERSION) {
      throw new UserError(
        `${file} has schema version ${version}, newer than this argmap (${SCHEMA_VERSION})`,
        'upgrade argmap',
      );
    }
    if (version < SCHEMA_VERSION) {
      if (opts.readonly)
        throw new UserError(
          `${file} needs a schema upgrade`,
          `run: argmap ingest --db ${file} (it migrates in place)`,
        );
      migrate(db, version);
    }
  } catch (e) {
    db.close();
    if (e instanceof UserError) throw e;
    if (/file is not a database|malformed/i.test((e as Error).message)) {
      throw new UserError(`${file} is not an argmap archive (${(e as Error).message})`);
    }
    throw e;
  }
  return db;
}

function currentVersion(db: Db): number {
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get();
  if (!hasMeta) {
    const anyTable = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1").get();
    if (anyTable) throw new UserError('this SQLite file is not an argmap archive (it has no meta table)');
    return 0;
  }
  const row = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as
    { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

function migrate(db: Db, from: number): void {
  const run = db.transaction(() => {
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      db.prepare(
        "INSERT INTO meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      ).run(String(m.version));
    }
  });
  run.immediate();
}

/** Read a meta value. */
export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM meta WHERE key = ?').run(key);
  else
    db.prepare(
      'INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
}

/**
 * A row as SQLite returned it, typed as `T`, with its flag columns turned from 0/1 into booleans
 * (SQLite has no boolean type); every other column is passed through as it is.
 */
export function withFlags<T>(r: Record<string, unknown>, flags: readonly (keyof T & string)[]): T {
  const out: Record<string, unknown> = { ...r };
  for (const f of flags) out[f] = Boolean(r[f]);
  return out as T;
}
