/** Worker thread body: prepares messages sent by ./workers.ts. */
import { parentPort } from 'node:worker_threads';
import { prepareMessage } from './prepare.ts';
import type { RawFormat } from '../store/types.ts';

interface Job {
  id: number;
  raw: Uint8Array;
  format: RawFormat;
}

parentPort!.on('message', (job: Job) => {
  prepareMessage(job.raw, job.format).then(
    (result) => parentPort!.postMessage({ id: job.id, result }),
    (e: unknown) =>
      parentPort!.postMessage({ id: job.id, error: e instanceof Error ? e.message : String(e) }),
  );
});
