// The worker pool must give exactly what parsing in the main thread gives, in submission order:
// the default on two-core machines is no worker at all, so this is the test that keeps the
// threaded path (used on bigger machines) honest.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readMbox } from '../../src/mail/mbox.ts';
import { prepareMessage } from '../../src/ingest/prepare.ts';
import { PreparePool } from '../../src/ingest/workers.ts';
import { fixture } from '../helpers/archive.ts';

async function rawMessages(): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const f of ['reclaim-2020.mbox', 'throttle-2019.mbox', 'oddities.mbox'])
    for await (const it of readMbox([readFileSync(fixture('mbox', f))]))
      if (it.kind === 'message') out.push(it.raw);
  return out;
}

describe('PreparePool', () => {
  it('prepares in a worker exactly as in the main thread, in submission order', async () => {
    const raws = await rawMessages();
    assert.ok(raws.length > 40, `fixtures hold ${raws.length} messages`);
    // Past the in-thread warm-up (300 messages) so that later jobs go to the worker.
    const jobs = Array.from({ length: 420 }, (_, i) => raws[i % raws.length]!);
    const pool = new PreparePool(1);
    try {
      const viaPool = await Promise.all(jobs.map((r) => pool.prepare(r, 'rfc822')));
      for (let i = 0; i < jobs.length; i++) {
        const inThread = await prepareMessage(jobs[i]!, 'rfc822');
        assert.deepEqual(viaPool[i], inThread, `job ${i}`);
      }
      assert.ok(
        new Set(viaPool.slice(300).map((p) => p.rawSha)).size > 40,
        'the worker saw many different messages',
      );
    } finally {
      await pool.close();
    }
  });
});
