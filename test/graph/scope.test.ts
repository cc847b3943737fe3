// The scope of an incremental graph build (src/graph/scope.ts) and the incremental series pass
// (src/graph/series.ts, diffSeries): mail appended in pieces gives, piece by piece, exactly the
// graph that a full rebuild of the same archive gives. Real mail: the memory.reclaim series after
// the merge (RESEND v1..v5, nodes= RFC/v3/revert, swappiness= v1..v6), whose versions sit in
// different threads and are chained by title, lore links and carried trailers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb, getMeta } from '../../src/store/db.ts';
import { buildGraph } from '../../src/graph/build.ts';
import { diffSeries, storedPatchKeys } from '../../src/graph/series.ts';
import { recordObjections } from '../../src/decisions/graph-input.ts';
import type { PatchRow, SeriesRow, StoredPatchRow, StoredSeriesRow } from '../../src/store/series-tables.ts';
import { fixture, freshDb, ingestPaths, tempDir } from '../helpers/archive.ts';
import { graphDump } from '../helpers/graph-dump.ts';
import { SERIES_THREADS } from '../helpers/series-fixtures.ts';

type Scope = { threads: number; series: number; records: boolean };

/** The raw messages of a fixture file, in file order. */
function messagesOf(name: string): string[] {
  return readFileSync(fixture('series', `${name}.mbox`), 'latin1')
    .split(/(?=^From mboxrd@z )/m)
    .filter((m) => m.startsWith('From '));
}

/** Cut a list into n pieces at fixed, uneven places (so pieces end inside threads). */
function pieces<T>(list: T[], cuts: number[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (const c of [...cuts, 1]) {
    const end = Math.round(list.length * c);
    out.push(list.slice(at, end));
    at = end;
  }
  return out.filter((p) => p.length);
}

/**
 * Ingest the pieces one after another (each ingest builds the graph incrementally), then rebuild
 * a copy of the same archive in full and compare the two graphs line by line.
 */
async function appendAndCompare(chunks: string[][]): Promise<{
  inc: Record<string, string[]>;
  scopes: (Scope | null)[];
}> {
  const d = tempDir();
  const a = freshDb();
  try {
    const scopes: (Scope | null)[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const p = join(d.dir, `piece-${i}.mbox`);
      writeFileSync(p, chunk.join(''), 'latin1');
      await ingestPaths(a.db, [p]);
      const last = JSON.parse(getMeta(a.db, 'graph_last_build') ?? '{}') as {
        full: boolean;
        scope?: Scope;
      };
      scopes.push(last.full ? null : (last.scope ?? null));
    }
    const copy = join(d.dir, 'full.sqlite');
    await a.db.backup(copy);
    const b = openDb(copy);
    try {
      buildGraph(b, { added: null, records: recordObjections() });
      const inc = graphDump(a.db);
      const full = graphDump(b);
      for (const table of Object.keys(full)) assert.deepEqual(inc[table], full[table], `table ${table}`);
      return { inc, scopes };
    } finally {
      b.close();
    }
  } finally {
    a.cleanup();
    d.cleanup();
  }
}

/** The graph holds what the scoped passes write, so the comparison can fail on them. */
function assertSubstantial(g: Record<string, string[]>, versioned = 2): void {
  const relations = new Set(g.edges!.map((l) => (JSON.parse(l) as string[])[1]));
  assert.ok(relations.has('supersedes'), 'supersedes edges');
  assert.ok(
    g.edges!.some((l) => ((JSON.parse(l) as string[])[3] ?? '').startsWith('carried')),
    'carried trailers',
  );
  const statuses = new Set(g.objections!.map((l) => (JSON.parse(l) as string[])[1]));
  assert.ok(statuses.has('addressed') && statuses.has('rebutted'), [...statuses].join(','));
  // nodes= (RFC, RFC v2, v3: three postings) and swappiness= (two postings) chained across threads
  const seriesWithVersions = g.series!.filter((l) => (JSON.parse(l) as number[])[5]! > 1);
  assert.equal(seriesWithVersions.length, versioned, seriesWithVersions.join('\n'));
}

describe('incremental graph build', () => {
  it('mail appended in date order, in five uneven pieces, gives the graph of a full rebuild', async () => {
    const all = SERIES_THREADS.flatMap(messagesOf);
    const { inc, scopes } = await appendAndCompare(pieces(all, [0.17, 0.41, 0.58, 0.83]));
    assertSubstantial(inc);
    // the first ingest builds everything; the later ones are incremental with a real scope
    assert.equal(scopes[0], null);
    for (const s of scopes.slice(1)) assert.ok(s && s.threads > 0 && s.series > 0, JSON.stringify(s));
  });

  it('mail the records do not cite leaves their threads alone and still gives the graph of a full rebuild', async () => {
    const all = SERIES_THREADS.flatMap(messagesOf);
    const odd = readFileSync(fixture('mbox', 'oddities.mbox'), 'latin1')
      .split(/(?=^From )/m)
      .filter((m) => m.startsWith('From '));
    const { inc, scopes } = await appendAndCompare([all, odd]);
    assertSubstantial(inc, 3); // oddities.mbox holds blk-iotrack v1 and v2
    // the records' verdicts are the ones stored: their threads are not redone
    assert.equal(scopes[1]?.records, false, JSON.stringify(scopes));
  });

  it('mail arriving newest first (replies before their parents, v6 before v1) gives the same graph', async () => {
    const all = SERIES_THREADS.flatMap(messagesOf).reverse();
    const { inc, scopes } = await appendAndCompare(pieces(all, [0.3, 0.55, 0.8]));
    assertSubstantial(inc);
    assert.ok(scopes.slice(1).every((s) => s !== null));
  });
});

const oldSeries = (id: number, postings: number, last = '2022-01-02'): StoredSeriesRow => ({
  id,
  title: `t${id}`,
  author_id: 1,
  first_date: '2022-01-01',
  last_date: last,
  postings,
});
const newSeries = (r: StoredSeriesRow): SeriesRow => ({
  id: r.id,
  title: r.title,
  authorId: r.author_id,
  firstDate: r.first_date ?? '',
  lastDate: r.last_date ?? '',
  postings: r.postings,
});
const oldPatch = (m: number, series: number, posting = 1): StoredPatchRow => ({
  message_id: m,
  series_id: series,
  version: posting,
  part: 1,
  total: 1,
  is_cover: 0,
  patch_id: null,
  posting,
  is_rfc: 0,
  is_resend: 0,
  role: 'patch',
  chained_by: posting > 1 ? 'title' : null,
});
const newPatch = (r: StoredPatchRow): PatchRow => ({
  messageId: r.message_id,
  seriesId: r.series_id,
  version: r.version,
  part: r.part,
  total: r.total,
  isCover: r.is_cover === 1,
  patchId: r.patch_id,
  posting: r.posting,
  isRfc: r.is_rfc === 1,
  isResend: r.is_resend === 1,
  role: r.role as 'patch' | 'revert',
  chainedBy: r.chained_by,
});

describe('diffSeries', () => {
  const s10 = oldSeries(10, 1);
  const s20 = oldSeries(20, 2);
  const p = [oldPatch(10, 10), oldPatch(20, 20), oldPatch(21, 20, 2)];

  it('nothing changed: nothing to write', () => {
    const c = diffSeries([s10, s20], storedPatchKeys(p), [s10, s20].map(newSeries), p.map(newPatch));
    assert.deepEqual([...c.series], []);
    assert.deepEqual([...c.messages], []);
  });

  it('a new version joins series 20: that series and the new mail only', () => {
    const s20b = { ...s20, postings: 3, last_date: '2022-02-01' };
    const added = oldPatch(30, 20, 3);
    const c = diffSeries(
      [s10, s20],
      storedPatchKeys(p),
      [s10, s20b].map(newSeries),
      [...p, added].map(newPatch),
    );
    assert.deepEqual([...c.series].sort(), [20]);
    assert.deepEqual([...c.messages], [30]);
  });

  it('an earlier posting arrives and becomes the series id: the old id and the new one', () => {
    // message 5 is older than 10: series 10 is now series 5, with 10 as its second posting
    const s5 = { ...oldSeries(5, 2), title: s10.title };
    const moved = [oldPatch(5, 5), oldPatch(10, 5, 2)];
    const c = diffSeries(
      [s10, s20],
      storedPatchKeys(p),
      [s5, s20].map(newSeries),
      [...moved, p[1]!, p[2]!].map(newPatch),
    );
    assert.deepEqual(
      [...c.series].sort((a, b) => a - b),
      [5, 10],
    );
    assert.deepEqual(
      [...c.messages].sort((a, b) => a - b),
      [5, 10],
    );
  });

  it('a mail that left every series counts, and so does its series', () => {
    const s20b = { ...s20, postings: 1 };
    const c = diffSeries(
      [s10, s20],
      storedPatchKeys(p),
      [s10, s20b].map(newSeries),
      [p[0]!, p[1]!].map(newPatch),
    );
    assert.deepEqual([...c.series], [20]);
    assert.deepEqual([...c.messages], [21]);
  });

  it('a series row that changed alone (its title) is written again', () => {
    const c = diffSeries(
      [s10, s20],
      storedPatchKeys(p),
      [{ ...s10, title: 'new' }, s20].map(newSeries),
      p.map(newPatch),
    );
    assert.deepEqual([...c.series], [10]);
    assert.deepEqual([...c.messages], []);
  });
});

describe('patch_features cache', () => {
  it('is dropped when a stored message gets a new body (an archive page promoted to its raw mail)', async () => {
    const a = freshDb();
    try {
      // the hypermail page of Shakeel Butt's 2020 reply, with its Message-ID in the page comments
      await ingestPaths(a.db, [fixture('pages', 'seed-hypermail.html')]);
      const page = a.db
        .prepare(
          "SELECT m.id, m.message_id, m.body FROM messages m WHERE m.is_ghost = 0 AND m.id_kind = 'header'",
        )
        .get() as { id: number; message_id: string; body: string };
      assert.ok(page, 'the page is stored under its Message-ID');
      // what the series pass would have cached for it, had it been a patch
      a.db
        .prepare("INSERT INTO patch_features VALUES (?, ?, 'stale', '[]', '[]')")
        .run(page.id, page.message_id);
      await ingestPaths(a.db, [fixture('mbox', 'reclaim-2020.mbox')]);
      const after = a.db.prepare('SELECT body FROM messages WHERE id = ?').pluck().get(page.id) as string;
      assert.notEqual(after, page.body, 'the raw mail became the primary copy');
      assert.equal(
        a.db.prepare('SELECT COUNT(*) FROM patch_features WHERE message_id = ?').pluck().get(page.id),
        0,
      );
    } finally {
      a.cleanup();
    }
  });
});
