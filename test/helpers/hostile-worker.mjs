// Worker for hostile-input tests: calls exported one-argument functions of src/ modules on the
// given inputs in a thread the test can terminate (a backtracking regular expression cannot be
// interrupted in-thread). workerData: { calls: [{ module, fn, input, buffer }] }, module relative
// to the project root; posts back what each call returned.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const root = new URL('../../', import.meta.url);
const results = [];
for (const c of workerData.calls) {
  const mod = await import(new URL(c.module, root).href);
  results.push(mod[c.fn](c.buffer ? Buffer.from(c.input) : c.input));
}
parentPort.postMessage(results);
