// Opening an archive (src/store/db.ts): a new file gets the whole schema; an archive of any older
// schema version upgrades in place to the schema a new archive has; and every file that is not an
// archive this argmap can use is refused with a message that names it — a real mbox, an unrelated
// SQLite file, a newer archive, a missing path.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { rows, tempDir } from '../helpers/archive.ts';
import { RECLAIM_MBOX } from '../helpers/fixture-ids.ts';
import { getMeta, openDb, setMeta, withFlags, type Db } from '../../src/store/db.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.ts';
import { UserError } from '../../src/util/errors.ts';

const t = tempDir();
after(() => t.cleanup());
let n = 0;
const path = (): string => join(t.dir, `a${n++}.sqlite`);

const schema = (db: Db): string[] =>
  rows<{ type: string; name: string; sql: string | null }>(
    db,
    "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
  ).map((r) => `${r.type} ${r.name} ${r.sql ?? ''}`);

/** A UserError whose message matches. */
const userError =
  (re: RegExp) =>
  (e: unknown): boolean =>
    e instanceof UserError && re.test(e.message);

describe('a new archive', () => {
  it('has the current schema version, in WAL mode', () => {
    const db = openDb(path());
    try {
      assert.equal(getMeta(db, 'schema_version'), String(SCHEMA_VERSION));
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      assert.equal(SCHEMA_VERSION, MIGRATIONS.length, 'migrations are numbered 1…N');
      MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1, m.name));
    } finally {
      db.close();
    }
  });

  it('keeps meta values, and forgets one set to null', () => {
    const db = openDb(':memory:');
    try {
      setMeta(db, 'x', 'one');
      setMeta(db, 'x', 'two');
      assert.equal(getMeta(db, 'x'), 'two');
      setMeta(db, 'x', null);
      assert.equal(getMeta(db, 'x'), null);
    } finally {
      db.close();
    }
  });
});

describe('upgrades', () => {
  it('migrates an archive of every older version to the schema of a new one', () => {
    const fresh = openDb(path());
    const want = schema(fresh);
    fresh.close();
    for (let v = 1; v < SCHEMA_VERSION; v++) {
      const file = path();
      const old = new Database(file);
      for (const m of MIGRATIONS.slice(0, v)) old.exec(m.sql);
      old.prepare("INSERT INTO meta(key, value) VALUES ('schema_version', ?)").run(String(v));
      old.close();
      assert.throws(
        () => openDb(file, { readonly: true }),
        userError(/needs a schema upgrade/),
        `v${v} read-only`,
      );
      const db = openDb(file);
      try {
        assert.equal(getMeta(db, 'schema_version'), String(SCHEMA_VERSION), `v${v}`);
        assert.deepEqual(schema(db), want, `v${v}`);
      } finally {
        db.close();
      }
    }
  });
});

describe('refusals', () => {
  it('refuses a missing archive when it must exist, creating nothing', () => {
    const file = path();
    assert.throws(() => openDb(file, { readonly: true }), userError(/^no archive at /));
    assert.throws(() => openDb(file, { mustExist: true }), userError(/^no archive at /));
    assert.equal(existsSync(file), false);
  });

  it('refuses a mail file', () => {
    const file = join(t.dir, 'reclaim.sqlite');
    copyFileSync(RECLAIM_MBOX, file);
    assert.throws(() => openDb(file), userError(/reclaim\.sqlite is not an argmap archive/));
  });

  it('refuses an SQLite file of something else', () => {
    const file = path();
    const other = new Database(file);
    other.exec('CREATE TABLE notes (t TEXT)');
    other.close();
    assert.throws(() => openDb(file), userError(/not an argmap archive \(it has no meta table\)/));
  });

  it('refuses an archive from a newer argmap, naming both versions', () => {
    const file = path();
    const db = openDb(file);
    setMeta(db, 'schema_version', String(SCHEMA_VERSION + 1));
    db.close();
    assert.throws(
      () => openDb(file),
      userError(
        new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this argmap \\(${SCHEMA_VERSION}\\)`),
      ),
    );
  });

  it('refuses a path it cannot open, with the reason', () => {
    assert.throws(() => openDb(join(t.dir, 'no-such-dir', 'a.sqlite')), userError(/^cannot open /));
  });
});

describe('withFlags', () => {
  it('turns the named 0/1 columns of a real row into booleans and passes the rest through', () => {
    const db = openDb(path());
    const r = db.prepare('SELECT 1 AS a, 0 AS b, 0 AS n, NULL AS z, ? AS s').get('x') as Record<
      string,
      unknown
    >;
    db.close();
    assert.deepEqual(withFlags<{ a: boolean; b: boolean; n: number; z: null; s: string }>(r, ['a', 'b']), {
      a: true,
      b: false,
      n: 0,
      z: null,
      s: 'x',
    });
  });
});
