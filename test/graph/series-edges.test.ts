// Edges between versions of a proposal (src/graph/series-edges.ts), on Chris Down's memory.high
// throttling patch: v3 (1 May 2019) and v4 (23 Jul 2019) carry the same commit message, word for
// word (checked below on the raw bodies, independently of the graph), so every paragraph of v4
// that takes a stance supersedes its twin in v3 unchanged, and no paragraph of v3 is dropped. v4
// carries no review trailer (only Signed-off-by and Cc lines), so nothing is carried.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ingestedDb, rows } from '../helpers/archive.ts';
import { THROTTLE_MBOX, THROTTLE_V3, THROTTLE_V4 } from '../helpers/fixture-ids.ts';
import { bodyOf } from '../helpers/mail.ts';
import { carriedTrailerEdges, seriesEdges, type Fate } from '../../src/graph/series-edges.ts';
import type { Db } from '../../src/store/db.ts';

let db: Db;
let cleanup: () => void;
let fates: Map<number, Fate>;
let written: number;
before(async () => {
  ({ db, cleanup } = await ingestedDb([THROTTLE_MBOX]));
  db.exec("DELETE FROM edges WHERE relation IN ('supersedes', 'implements', 'acks', 'nacks')");
  fates = new Map();
  written = seriesEdges(db, fates);
});
after(() => cleanup());

interface P {
  id: number;
  n: number;
  stance: string;
}
const paragraphs = (mid: string): P[] =>
  rows<P>(
    db,
    `SELECT c.id, c.n, c.stance FROM claim_rows c JOIN messages m ON m.id = c.message_id
     WHERE m.message_id = ? AND c.kind = 'para' ORDER BY c.n`,
    mid,
  );
const supersedes = (): { s: number; d: number; ev: string }[] =>
  rows(
    db,
    "SELECT src_claim_id AS s, dst_claim_id AS d, evidence AS ev FROM edges WHERE relation = 'supersedes'",
  );

describe('the fixture', () => {
  it('has the same commit message in v3 and v4', async () => {
    const log = (b: string): string => b.slice(0, b.indexOf('\n---\n'));
    const v3 = log(await bodyOf(THROTTLE_MBOX, THROTTLE_V3));
    assert.ok(v3.length > 2000);
    assert.equal(log(await bodyOf(THROTTLE_MBOX, THROTTLE_V4)), v3);
  });
});

describe('seriesEdges', () => {
  it('writes one supersedes edge per v4 paragraph that takes a stance, all unchanged', () => {
    const v4 = paragraphs(THROTTLE_V4).filter((p) => p.stance !== 'neutral');
    const es = supersedes();
    assert.equal(written, es.length);
    assert.deepEqual(
      es.map((e) => e.s).sort((a, b) => a - b),
      v4.map((p) => p.id).sort((a, b) => a - b),
    );
    assert.ok(es.every((e) => e.ev === 'same'));
  });

  it('links each v4 paragraph to a v3 paragraph of the same text', () => {
    const text = new Map(
      rows<{ id: number; text: string }>(db, 'SELECT id, text FROM claims').map((r) => [r.id, r.text]),
    );
    for (const e of supersedes()) assert.equal(text.get(e.s), text.get(e.d));
  });

  it('leaves neutral paragraphs out (the closing thanks to Johannes Weiner)', () => {
    const last = paragraphs(THROTTLE_V3).at(-1)!;
    assert.equal(last.stance, 'neutral');
    assert.equal(fates.has(last.id), false);
  });

  it('finds no change-log item implementing a review, and no carried trailer', () => {
    assert.deepEqual(rows(db, "SELECT 1 FROM edges WHERE relation = 'implements'"), []);
    assert.equal(carriedTrailerEdges(db), 0);
  });

  it(
    'reports every v3 paragraph that takes a stance as kept the same in v4',
    {
      todo:
        'BUG (src/graph/series-edges.ts, seriesEdges): v3 #p3 and #p13 are the same systemd-run command block, and ' +
        'v4 repeats both; the best match takes the first older paragraph of equal similarity (strict ">"), so v4 #p3 ' +
        'and #p13 both supersede v3 #p3 and v3 #p13 gets fate "dropped" — an objection quoting v3 #p13 would then be ' +
        'marked addressed ("the text it objected to was dropped in v4")',
    },
    () => {
      const v3 = paragraphs(THROTTLE_V3).filter((p) => p.stance !== 'neutral');
      const notSame = v3.filter((p) => fates.get(p.id)?.status !== 'same').map((p) => `#p${p.n}`);
      assert.deepEqual(notSame, []);
    },
  );
});
