/**
 * Messages between the model page and its worker. The worker runs one arm of a scenario per
 * request, or one scenario file (its twin and sweep runs included), and posts progress, then the
 * result (or an error the user can read).
 */
import type { ArmResult } from '../../src/model/arm.ts';
import type { ParamOverrides } from '../../src/model/params.ts';
import type { TreeRunResult } from '../../src/model/tree-run.ts';

export interface RunRequest {
  id: number;
  kind?: 'arm';
  scenario: string;
  arm: string;
  quick: boolean;
  seed: number;
  set: ParamOverrides;
}

/** Run a scenario file's document (validated again in the worker: the page's text is untrusted). */
export interface FileRunRequest {
  id: number;
  kind: 'file';
  doc: unknown;
}

export type WorkerRequest = RunRequest | FileRunRequest;

export type WorkerReply =
  | { id: number; type: 'progress'; simulatedS: number; totalS: number }
  | { id: number; type: 'result'; arm: ArmResult; wallMs: number }
  | { id: number; type: 'file-result'; result: TreeRunResult; wallMs: number }
  | { id: number; type: 'error'; message: string };
