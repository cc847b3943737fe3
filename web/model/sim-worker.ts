/**
 * The model page's worker: runs one arm of a scenario, or one scenario file, with the pure model
 * and posts the result.
 * The page imports it as `./sim-worker.ts?script`: the site build bundles it on its own and inlines
 * the text (src/site/bundle.ts), and the page starts it from a Blob URL, because pages opened from
 * file:// may not load workers from files.
 */
import { runScenario } from '../../src/model/scenario-run.ts';
import { validateDocument } from '../../src/model/scenario-file.ts';
import { runTreeScenario } from '../../src/model/tree-run.ts';
import type { FileRunRequest, WorkerReply, WorkerRequest } from './protocol.ts';

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(m: WorkerReply): void;
};

function runFile(req: FileRunRequest): void {
  const t0 = Date.now();
  let last = 0;
  // The page parsed the text (JSON or YAML); the document takes the same validation here as there.
  const file = validateDocument(req.doc);
  const result = runTreeScenario(file, {
    onProgress: (nowUs) => {
      if (Date.now() - last < 200) return;
      last = Date.now();
      scope.postMessage({ id: req.id, type: 'progress', simulatedS: nowUs / 1e6, totalS: file.durationS });
    },
  });
  scope.postMessage({ id: req.id, type: 'file-result', result, wallMs: Date.now() - t0 });
}

scope.onmessage = (e: MessageEvent<WorkerRequest>): void => {
  const req = e.data;
  const t0 = Date.now();
  let last = 0;
  try {
    if (req.kind === 'file') {
      runFile(req);
      return;
    }
    const res = runScenario(req.scenario, {
      quick: req.quick,
      seed: req.seed,
      set: req.set,
      arms: [req.arm],
      onProgress: (_arm, nowUs) => {
        if (Date.now() - last < 200) return;
        last = Date.now();
        scope.postMessage({ id: req.id, type: 'progress', simulatedS: nowUs / 1e6, totalS: 0 });
      },
    });
    const arm = res.arms[0];
    if (!arm) throw new Error(`no arm ${req.arm}`);
    scope.postMessage({ id: req.id, type: 'result', arm, wallMs: Date.now() - t0 });
  } catch (err) {
    scope.postMessage({
      id: req.id,
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    });
  }
};
