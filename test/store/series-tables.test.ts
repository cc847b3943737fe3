// The series pass's statements (src/store/series-tables.ts) on the throttle v3/v4 postings, the
// nodes= v3 posting and its revert. The four patch mails are the non-reply "[PATCH…]" subjects of
// the three mboxes (read with grep); the feature cache is checked by what patchMails() hands back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, row, rows, sharedArchive } from '../helpers/archive.ts';
import { SeriesTables } from '../../src/store/series-tables.ts';
import { storedPatchKeys } from '../../src/graph/series.ts';

const arc = sharedArchive([
  fixture('mbox', 'throttle-2019.mbox'),
  'data/corpus/threads/nodes-v3-2022.mbox',
  'data/corpus/threads/nodes-revert-2022.mbox',
]);
const V3 = '20190501184104.GA30293@chrisdown.name';
const V4 = '20190723180700.GA29459@chrisdown.name';
const NODES = '20221202223533.1785418-1-almasrymina@google.com';
const REVERT = 'Y5xASNe1x8cusiTx@dhcp22.suse.cz';
const idOf = (mid: string): number =>
  row<{ id: number }>(arc.db, 'SELECT id FROM messages WHERE message_id = ?', mid).id;

describe('SeriesTables reads', () => {
  it('reads the patch postings, not their replies, in date order', () => {
    const t = new SeriesTables(arc.db);
    const got = [...t.patchMails()];
    assert.deepEqual(
      got.map((m) => m.message_id),
      [V3, V4, NODES, REVERT],
    );
    const v3 = got[0]!;
    // "[PATCH v3] mm: Throttle allocators when failing reclaim over memory.high", as parsed at ingest
    assert.equal(v3.title, 'mm: Throttle allocators when failing reclaim over memory.high');
    assert.deepEqual(
      [
        v3.revision,
        v3.revision_inferred,
        v3.counter,
        v3.expected,
        v3.counter_inferred,
        v3.is_rfc,
        v3.is_resend,
      ],
      [3, 0, 1, 1, 1, 0, 0],
    );
    assert.equal(v3.date, '2019-05-01T18:41:04Z');
    assert.equal(
      row<{ g: number }>(arc.db, 'SELECT is_ghost AS g FROM messages WHERE id = ?', v3.parent_id).g,
      1,
      'v3 answers the rebased patch (20190410153449.GA14915), which is not in the archive',
    );
    // the subject's numbers come packed into one integer: each row unpacks to its subjects row
    for (const m of got)
      assert.deepEqual(
        [m.revision, m.revision_inferred, m.counter, m.expected, m.counter_inferred, m.is_rfc, m.is_resend],
        Object.values(
          row(
            arc.db,
            `SELECT revision, revision_inferred, counter, expected, counter_inferred, is_rfc, is_resend
             FROM subjects WHERE message_id = ?`,
            m.id,
          ),
        ),
        m.message_id,
      );
    // the ingest cached every posting's features: no body is read
    const stored = new Map(
      rows<{ m: number; p: string }>(arc.db, 'SELECT message_id AS m, patch_id AS p FROM patches').map(
        (r) => [r.m, r.p],
      ),
    );
    for (const m of got) {
      assert.equal(m.body, null, m.message_id);
      assert.equal(m.cached?.patchId, stored.get(m.id), m.message_id);
    }
    // with the cache emptied, the bodies come back
    t.clearFeatures();
    assert.deepEqual(rows(arc.db, 'SELECT * FROM patch_features'), []);
    for (const m of t.patchMails()) {
      assert.match(m.body ?? '', /diff --git/, m.message_id);
      assert.equal(m.cached, null);
    }
  });

  it('hands back the cached features instead of the body while the Message-ID matches', () => {
    const t = new SeriesTables(arc.db);
    const id = idOf(V4);
    t.storeFeatures({ messageId: id, messageKey: V4, patchId: 'cafe', links: '[]', signers: '[7]' });
    let m = [...t.patchMails()].find((x) => x.id === id)!;
    assert.deepEqual([m.body, m.cached], [null, { patchId: 'cafe', links: [], signers: [7] }]);
    // a row computed for another message that had this row id is not used
    t.storeFeatures({
      messageId: id,
      messageKey: 'other@example.org',
      patchId: 'cafe',
      links: '[]',
      signers: '[]',
    });
    m = [...t.patchMails()].find((x) => x.id === id)!;
    assert.match(m.body ?? '', /diff --git/);
    assert.equal(m.cached, null);
  });

  it('names the signers and finds no diff attachments in inline patches', () => {
    const t = new SeriesTables(arc.db);
    const chris = row<{ p: number }>(
      arc.db,
      "SELECT person_id AS p FROM person_addresses WHERE addr = 'chris@chrisdown.name'",
    ).p;
    assert.deepEqual(t.signers(idOf(V3)), [chris]);
    assert.deepEqual(t.diffAttachments(idOf(V3)), []);
  });

  it('reads the stored series and patch rows', () => {
    const t = new SeriesTables(arc.db);
    const series = t.storedSeries();
    assert.deepEqual(series.map((s) => [s.title, s.postings]).sort(), [
      ['mm: Add nodes= arg to memory.reclaim', 2],
      ['mm: Throttle allocators when failing reclaim over memory.high', 2],
    ]);
    const patches = t.storedPatches();
    assert.deepEqual(
      patches.map((p) => p.message_id).sort((a, b) => a - b),
      [V3, V4, NODES, REVERT].map(idOf).sort((a, b) => a - b),
    );
    const v4 = patches.find((p) => p.message_id === idOf(V4))!;
    assert.deepEqual([v4.version, v4.posting, v4.role], [4, 2, 'patch']);
    assert.equal(patches.find((p) => p.message_id === idOf(REVERT))!.role, 'revert');
  });

  it('makes the comparison keys of the stored patch rows in SQL exactly as the JavaScript does', () => {
    const t = new SeriesTables(arc.db);
    const rowsRead = t.storedPatches();
    // NULLs are where SQL and JavaScript could disagree: the first posting has no chained_by
    assert.ok(rowsRead.some((r) => r.chained_by === null));
    assert.ok(rowsRead.some((r) => r.chained_by !== null));
    assert.deepEqual(t.storedPatchKeys(), storedPatchKeys(rowsRead));
  });
});

describe('SeriesTables writes', () => {
  it('deletes one series with its patches, and keeps a placed message where it is', () => {
    const t = new SeriesTables(arc.db);
    const sid = row<{ s: number }>(
      arc.db,
      'SELECT series_id AS s FROM patches WHERE message_id = ?',
      idOf(V3),
    ).s;
    const others = t.storedPatches().filter((p) => p.series_id !== sid);
    t.deleteSeries(sid);
    assert.deepEqual(t.storedPatches(), others);
    assert.ok(t.storedSeries().every((s) => s.id !== sid));

    t.insertSeries({
      id: sid,
      title: 'x',
      authorId: null,
      firstDate: '2019-05-01',
      lastDate: '2019-07-23',
      postings: 1,
    });
    const patch = {
      messageId: idOf(V3),
      seriesId: sid,
      version: 3,
      part: 1,
      total: 1,
      isCover: false,
      patchId: null,
      posting: 1,
      isRfc: true,
      isResend: false,
      role: 'patch' as const,
      chainedBy: null,
    };
    t.insertPatch(patch);
    t.insertPatch({ ...patch, version: 9 });
    assert.deepEqual(
      rows(arc.db, 'SELECT version, is_rfc, is_cover FROM patches WHERE message_id = ?', idOf(V3)),
      [{ version: 3, is_rfc: 1, is_cover: 0 }],
    );
    t.clear();
    assert.deepEqual([t.storedPatches(), t.storedSeries()], [[], []]);
  });
});
