/**
 * Messages between the model page and its worker. The worker runs one arm of a scenario per
 * request and posts progress, then the arm's result (or an error the user can read).
 */
import type { ArmResult } from '../../src/model/arm.ts';
import type { ParamOverrides } from '../../src/model/params.ts';

export interface RunRequest {
  id: number;
  scenario: string;
  arm: string;
  quick: boolean;
  seed: number;
  set: ParamOverrides;
}

export type WorkerReply =
  | { id: number; type: 'progress'; simulatedS: number; totalS: number }
  | { id: number; type: 'result'; arm: ArmResult; wallMs: number }
  | { id: number; type: 'error'; message: string };
