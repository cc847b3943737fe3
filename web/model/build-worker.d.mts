/** Types of build-worker.mjs, for the test that checks worker.gen.txt is current. */
export function buildWorkerSource(): Promise<string>;
export const WORKER_FILE: string;
