/**
 * The model page starts its worker from web/model/worker.gen.txt (a Blob URL works from file://;
 * a worker file does not). That file is generated from web/model/sim-worker.ts and the model; this
 * test fails when it is stale. Regenerate with: node web/model/build-worker.mjs
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { WORKER_FILE, buildWorkerSource } from '../../web/model/build-worker.mjs';

it('web/model/worker.gen.txt matches a fresh build of the worker (run node web/model/build-worker.mjs)', async () => {
  const fresh = await buildWorkerSource();
  const committed = readFileSync(WORKER_FILE, 'utf8');
  assert.ok(fresh.length > 10000);
  assert.ok(committed === fresh, 'web/model/worker.gen.txt is stale: run node web/model/build-worker.mjs');
});
