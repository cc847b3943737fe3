// Argument facets of messages (src/search/facets.ts) on real mail: the 2020 memory.reclaim thread,
// Chris Down's throttling thread (Johannes Weiner's "Acked-by" reply to v4), Xi Ruoyao's
// "[PATCH RFC]" with Tejun Heo's "Nacked-by" reply, and Muchun Song's "[PATCH v3 0/7]" cover
// letter; and the small test record (Michal Hocko raised O1 on 22 Sep, withdrawn at 18:31). What
// each message is was read off its subject and trailers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, ingestedDb } from '../helpers/archive.ts';
import { RECLAIM_MBOX, RECLAIM_ROOT, SJ_REVIEW, THROTTLE_MBOX } from '../helpers/fixture-ids.ts';
import { testRecord } from '../helpers/records.ts';
import { readRecord } from '../../src/decisions/record.ts';
import { FacetQuery, Facets } from '../../src/search/facets.ts';
import type { Db } from '../../src/store/db.ts';

const ACK = '20190723205026.GB30522@cmpxchg.org';
const RFC = '0f1be041f8de95603753ffe989bd25069efa13bb.camel@mengyan1223.wang';
const NACK = '20190615162004.GG657710@devbig004.ftw2.facebook.com';
const COVER = '20201208041847.72122-1-songmuchun@bytedance.com';
const RAISED = '20200922114908.GZ12990@dhcp22.suse.cz';
const SETTLED = '20200922183125.GG12990@dhcp22.suse.cz';
const SJ_AGREES = '20200910163433.29792-1-sjpark@amazon.com';

let db: Db;
let cleanup: () => void;
let plain: Facets;
let withRecord: Facets;
let withRecordRecords: ReturnType<typeof readRecord>[];
before(async () => {
  let dir: string;
  ({ db, dir, cleanup } = await ingestedDb([
    RECLAIM_MBOX,
    THROTTLE_MBOX,
    fixture('graph', 'nack-2019.mbox'),
    fixture('graph', 'changelog-v2-v3.mbox'),
  ]));
  const f = join(dir, 'test-record.md');
  writeFileSync(f, testRecord());
  plain = new Facets(db);
  withRecordRecords = [readRecord(f)];
  withRecord = new Facets(db, withRecordRecords);
});
after(() => cleanup());

const rowOf = (mid: string): number =>
  db.prepare('SELECT id FROM messages WHERE message_id = ?').pluck().get(mid) as number;
const types = (f: Facets, mid: string): string[] => f.of(rowOf(mid)).type;

describe('types from the archive', () => {
  it('tells patches, covers, RFCs and replies apart by their subjects', () => {
    assert.ok(types(plain, RECLAIM_ROOT).includes('patch'));
    assert.ok(!types(plain, RECLAIM_ROOT).includes('reply'));
    assert.ok(types(plain, COVER).includes('cover'));
    assert.ok(!types(plain, COVER).includes('patch'));
    assert.ok(types(plain, RFC).includes('rfc'));
    for (const m of [ACK, NACK, SJ_REVIEW]) assert.ok(types(plain, m).includes('reply'), m);
  });

  it('marks a reply by the review trailer its writer gives', () => {
    assert.ok(types(plain, ACK).includes('ack'), 'Acked-by: Johannes Weiner');
    assert.ok(types(plain, NACK).includes('nack'), 'Nacked-by: Tejun Heo');
    assert.ok(types(plain, SJ_AGREES).includes('review'), 'Reviewed-by: SeongJae Park');
    assert.ok(!types(plain, SJ_REVIEW).includes('review'), 'his first reply gives none');
  });
});

describe('types and statuses from a decision record', () => {
  it('makes the raising message an objection with the record’s status, the settling one a response', () => {
    assert.ok(types(withRecord, RAISED).includes('objection'));
    assert.ok(withRecord.of(rowOf(RAISED)).status.includes('withdrawn'));
    assert.ok(types(withRecord, SETTLED).includes('response'));
    assert.ok(types(withRecord, RECLAIM_ROOT).includes('proposal'), 'the first message the record lists');
    assert.ok(!types(plain, SETTLED).includes('response'), 'without the record it is not one');
  });
});

describe('lookups', () => {
  it('finds by members exactly the messages whose facets hold the value', () => {
    const ids = db.prepare('SELECT id FROM messages').pluck().all() as number[];
    for (const field of ['type', 'status', 'stance', 'topic'] as const) {
      const values = new Set(ids.flatMap((id) => withRecord.of(id)[field]));
      assert.ok(values.size > 0, field);
      for (const v of values)
        assert.deepEqual(
          withRecord.members(field, v),
          new Set(ids.filter((id) => withRecord.of(id)[field].includes(v))),
          `${field}:${v}`,
        );
    }
  });

  it('gives sorted, lower-case facet values, and none for an unknown message', () => {
    const f = withRecord.of(rowOf(RAISED));
    for (const k of ['type', 'status', 'stance', 'topic'] as const) assert.deepEqual(f[k], [...f[k]].sort());
    assert.ok(f.topic.every((t) => t === t.toLowerCase()));
    assert.deepEqual(plain.of(-1), { type: [], status: [], stance: [], topic: [] });
  });

  it('counts only sure stances when asked', () => {
    const sure = new Facets(db, [], { minConfidence: 1.01 });
    assert.deepEqual(sure.members('stance', 'objects-to'), new Set());
    assert.ok(plain.members('stance', 'objects-to').size > 0);
  });
});

describe('FacetQuery (one value at a time, from the indexes)', () => {
  it('finds the same messages as the bulk Facets for every value the archive holds', () => {
    // The bulk maps are the oracle: every value any message carries, plus values nobody has.
    const ids = db.prepare('SELECT id FROM messages').pluck().all() as number[];
    let checked = 0;
    for (const [records, minConfidence] of [
      [[], 0],
      [withRecordRecords, 0],
      [withRecordRecords, 0.6],
    ] as const) {
      const bulk = new Facets(db, [...records], { minConfidence });
      const lazy = new FacetQuery(db, [...records], { minConfidence });
      const values = {
        type: new Set<string>(),
        status: new Set<string>(),
        stance: new Set<string>(),
        topic: new Set<string>(),
      };
      for (const id of ids) {
        const f = bulk.of(id);
        for (const k of Object.keys(values) as (keyof typeof values)[])
          for (const v of f[k]) values[k].add(v);
      }
      for (const k of Object.keys(values) as (keyof typeof values)[]) {
        assert.ok(values[k].size > 0 || k === 'status', `${k} has values`);
        for (const v of [...values[k], 'none-such', 'neutral']) {
          assert.deepEqual(
            lazy.members(k, v),
            bulk.members(k, v),
            `${k}:${v} (minConfidence ${minConfidence})`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 60, `${checked} values compared`);
  });

  it('keeps a bounded cache of the sets it computed', () => {
    const q = new FacetQuery(db);
    const first = q.members('type', 'patch');
    assert.equal(q.members('type', 'patch'), first, 'a repeated value is served from the cache');
  });
});
