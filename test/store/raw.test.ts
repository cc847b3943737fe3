// The raw reader's pack cache: whatever the read order and budget, every message reads back as the
// bytes a one-off read gives, and the inflated packs held never exceed the budget plus the pack
// read last (a crafted archive can make every pack 32 MB).
import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { getRaw, RawReader } from '../../src/store/raw.ts';
import type { Db } from '../../src/store/db.ts';
import { bundledDb } from '../site/bundled.ts';

let db: Db;
let cleanup: () => void;
let ids: number[];
let largestPack = 0;
const oneOff = new Map<number, Buffer>();
before(async () => {
  ({ db, cleanup } = await bundledDb());
  ids = db.prepare('SELECT message_id FROM message_raw ORDER BY message_id').pluck().all() as number[];
  for (const p of db.prepare('SELECT compression, data FROM raw_packs').all() as {
    compression: string;
    data: Buffer;
  }[])
    largestPack = Math.max(
      largestPack,
      (p.compression === 'deflate' ? inflateRawSync(p.data) : p.data).length,
    );
  for (const id of ids) oneOff.set(id, getRaw(db, id)!.raw);
});
after(() => cleanup());

it('reads every message right in any order, within its memory budget', () => {
  assert.ok((db.prepare('SELECT COUNT(*) FROM raw_packs').pluck().get() as number) >= 10);
  fc.assert(
    fc.property(
      fc.array(fc.nat(), { minLength: 1, maxLength: 400 }),
      fc.constantFrom(0, 600_000, 2_000_000, 64 * 1024 * 1024),
      (picks, budget) => {
        const reader = new RawReader(db, budget);
        for (const p of picks) {
          const id = ids[p % ids.length]!;
          assert.deepEqual(reader.get(id)!.raw, oneOff.get(id));
          assert.ok(
            reader.cachedBytes <= budget + largestPack,
            `${reader.cachedBytes} held, budget ${budget}`,
          );
        }
      },
    ),
    { numRuns: 40 },
  );
});

it('keeps what fits: with a budget larger than the archive, every pack read stays held', () => {
  const reader = new RawReader(db, 64 * 1024 * 1024);
  for (const id of [...ids, ...ids]) reader.get(id);
  const total = (
    db
      .prepare('SELECT data, compression FROM raw_packs WHERE id IN (SELECT pack_id FROM message_raw)')
      .all() as { compression: string; data: Buffer }[]
  ).reduce((a, p) => a + (p.compression === 'deflate' ? inflateRawSync(p.data) : p.data).length, 0);
  assert.equal(reader.cachedBytes, total);
});
