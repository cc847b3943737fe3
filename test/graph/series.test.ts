// Grouping patch mails into postings and chaining postings into series (src/graph/series.ts), on
// four real fixtures ingested together: the 2020 memory.reclaim patch (one [PATCH], 27 replies),
// Chris Down's memory.high throttling patch (v3 on 1 May 2019, v4 on 23 Jul 2019 sent as a reply
// to v3, the same title), Muchun Song's "[PATCH v3 0/7]" cover letter without its parts, and Xi
// Ruoyao's "[PATCH RFC]" with Tejun Heo's nack (test/fixtures/graph/README.md). Expected series
// and versions were read off the subjects by hand.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, ingestedDb, rows } from '../helpers/archive.ts';
import type { Db } from '../../src/store/db.ts';
import { buildSeries, linkedMessageIds, normTitle, revertedTitle } from '../../src/graph/series.ts';
import { RECLAIM_ROOT as RECLAIM, THROTTLE_V3 as V3, THROTTLE_V4 as V4 } from '../helpers/fixture-ids.ts';

const COVER = '20201208041847.72122-1-songmuchun@bytedance.com';
const RFC = '0f1be041f8de95603753ffe989bd25069efa13bb.camel@mengyan1223.wang';

let db: Db;
let cleanup: () => void;
before(async () => {
  ({ db, cleanup } = await ingestedDb([
    fixture('mbox', 'reclaim-2020.mbox'),
    fixture('mbox', 'throttle-2019.mbox'),
    fixture('graph', 'changelog-v2-v3.mbox'),
    fixture('graph', 'nack-2019.mbox'),
  ]));
});
after(() => cleanup());

interface PatchRow {
  mid: string;
  series: number;
  version: number;
  part: number;
  total: number;
  cover: number;
  posting: number;
  rfc: number;
  chained: string | null;
}
const patchRows = (): PatchRow[] =>
  rows<PatchRow>(
    db,
    `SELECT m.message_id AS mid, p.series_id AS series, p.version, p.part, p.total, p.is_cover AS cover,
            p.posting, p.is_rfc AS rfc, p.chained_by AS chained
     FROM patches p JOIN messages m ON m.id = p.message_id ORDER BY m.date`,
  );

describe('buildSeries on real postings', () => {
  it('finds the five patch mails and no reply among them', () => {
    assert.deepEqual(
      patchRows().map((p) => p.mid),
      [V3, RFC, V4, RECLAIM, COVER],
    );
  });

  it('chains v3 and v4 of the throttling patch by their title, v4 as the second posting', () => {
    const p = new Map(patchRows().map((r) => [r.mid, r]));
    assert.equal(p.get(V3)!.series, p.get(V4)!.series);
    assert.deepEqual(
      [V3, V4].map((m) => [p.get(m)!.version, p.get(m)!.posting, p.get(m)!.chained]),
      [
        [3, 1, null],
        [4, 2, 'title'],
      ],
    );
  });

  it('keeps the other proposals apart, each one posting', () => {
    const p = new Map(patchRows().map((r) => [r.mid, r]));
    const ids = [RECLAIM, COVER, RFC, V3].map((m) => p.get(m)!.series);
    assert.equal(new Set(ids).size, 4);
    assert.deepEqual(
      [RECLAIM, COVER, RFC].map((m) => [p.get(m)!.version, p.get(m)!.posting, p.get(m)!.rfc]),
      [
        [1, 1, 0],
        [3, 1, 0],
        [1, 1, 1],
      ],
    );
  });

  it('reads a cover letter as part 0 of 7, the lone patch as 1 of 1', () => {
    const p = new Map(patchRows().map((r) => [r.mid, r]));
    assert.deepEqual([p.get(COVER)!.part, p.get(COVER)!.total, p.get(COVER)!.cover], [0, 7, 1]);
    assert.deepEqual([p.get(RECLAIM)!.part, p.get(RECLAIM)!.total, p.get(RECLAIM)!.cover], [1, 1, 0]);
  });

  it('names a series by its latest posting, dated from first to last', () => {
    const s = rows<{ title: string; first: string; last: string; postings: number }>(
      db,
      `SELECT s.title, s.first_date AS first, s.last_date AS last, s.postings FROM series s
       JOIN patches p ON p.series_id = s.id JOIN messages m ON m.id = p.message_id WHERE m.message_id = ?`,
      V4,
    )[0]!;
    assert.match(s.title, /^mm: Throttle allocators when failing reclaim over/);
    assert.equal(s.postings, 2);
    assert.equal(s.first.slice(0, 10), '2019-05-01');
    assert.equal(s.last.slice(0, 10), '2019-07-23');
  });

  it('counts what it built, and builds the same again (series ids are stable)', () => {
    const before = patchRows();
    const { stats, change } = buildSeries(db);
    assert.deepEqual(stats, { series: 4, patches: 5, postings: 5, chained: { title: 1 } });
    assert.equal(change, null, 'a full pass writes everything');
    assert.deepEqual(patchRows(), before);
    // incremental, from the cached features, with nothing new: nothing to write, same rows
    const again = buildSeries(db, { incremental: true });
    assert.deepEqual(again.stats, stats);
    assert.deepEqual([...again.change!.series], []);
    assert.deepEqual(patchRows(), before);
  });
});

describe('titles and links', () => {
  it('normalises case and white space only', () => {
    assert.equal(normTitle('  mm:  Throttle\tallocators\n WHEN '), 'mm: throttle allocators when');
    assert.equal(normTitle(''), '');
  });

  it('reads the title a revert names, in either quotes', () => {
    assert.equal(
      revertedTitle('Revert "mm: memcontrol: Add  memory.reclaim"'),
      'mm: memcontrol: add memory.reclaim',
    );
    assert.equal(revertedTitle("revert 'memcg: fix'  "), 'memcg: fix');
    assert.equal(revertedTitle('Revert the reclaim change'), null);
    assert.equal(revertedTitle('Revert "unterminated'), null);
    assert.equal(revertedTitle('Re: Revert "x"'), null);
  });

  it('takes Message-IDs from lore, lkml.kernel.org/r and patch.msgid.link links', () => {
    const text = [
      'v1: https://lore.kernel.org/linux-mm/20200909215752.1725525-1-shakeelb@google.com/',
      'Link: https://lkml.kernel.org/r/20190501184104.GA30293@chrisdown.name',
      'Link: https://patch.msgid.link/20201208041847.72122-1-songmuchun@bytedance.com',
      'see <https://lore.kernel.org/all/CALvZod7y0kTVU5Y6%2B678@mail.gmail.com>',
      'not a link: https://example.org/r/someone@example.org/',
    ].join('\n');
    assert.deepEqual(linkedMessageIds(text), [RECLAIM, V3, COVER, 'CALvZod7y0kTVU5Y6+678@mail.gmail.com']);
  });

  it('keeps a link with a broken percent escape as written, and stops at 200 links', () => {
    assert.deepEqual(linkedMessageIds('https://lore.kernel.org/r/a%E0%A4%A@b.c/'), ['a%E0%A4%A@b.c']);
    const many = Array.from({ length: 5000 }, (_, i) => `https://lore.kernel.org/r/${i}@x.y/`).join(' ');
    const got = linkedMessageIds(many);
    assert.equal(got.length, 200);
    assert.deepEqual(got.slice(0, 2), ['0@x.y', '1@x.y']);
  });
});
