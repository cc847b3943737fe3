/**
 * The run budget: a run is refused up front when pages × simulated seconds is above a stated limit,
 * so neither the page nor the CLI hangs. Engine-free, so the page can check before it starts a worker.
 */
import { ParamError, num, type Params } from './params.ts';
import { bytesToPages } from './units.ts';

/**
 * Refuse runs above this many page-seconds (pages × simulated seconds) up front, so a page or a CLI
 * call cannot hang for minutes. The S1 benchmark (4 GiB plus a 1 GiB burst, 300 s) is about 4e8;
 * this allows roughly five times that.
 */
export const RUN_BUDGET_PAGE_SECONDS = 2e9;
/**
 * Refuse runs whose workload threads would take more than this many scheduler steps (quanta and
 * requests). Page-seconds do not see a tiny sim.quantumUs or a huge RPC rate; the common setup takes
 * about 1.5 million steps, so this leaves a factor of thirty.
 */
export const MAX_THREAD_STEPS = 5e7;

/** Scheduler steps the workload threads will take, roughly. */
export function plannedSteps(p: Params): number {
  const threads = num(p, 'workload.threads') * Math.max(1, num(p, 'tree.children'));
  const seconds = num(p, 'sim.duration');
  const quanta = (threads * seconds * 1e6) / num(p, 'sim.quantumUs');
  const requests = threads * seconds * num(p, 'workload.rpcRate');
  return quanta + requests;
}

/** Pages a parameter set will need, for the budget check. */
export function plannedPages(p: Params): number {
  const per =
    bytesToPages(num(p, 'workload.hot')) +
    bytesToPages(num(p, 'workload.cold')) +
    bytesToPages(num(p, 'workload.file')) +
    bytesToPages(num(p, 'workload.mlocked'));
  const children = num(p, 'tree.children');
  const extra = bytesToPages(num(p, 'workload.burst')) + bytesToPages(num(p, 'workload.growth'));
  return per * Math.max(1, children) + extra + bytesToPages(num(p, 'neighbour.file'));
}

/** Throw a ParamError if the run is above the budget or structurally impossible. */
export function checkRun(p: Params): void {
  const pages = plannedPages(p);
  const cost = pages * num(p, 'sim.duration');
  if (cost > RUN_BUDGET_PAGE_SECONDS) {
    throw new ParamError(
      `run too large: ${pages} pages x ${num(p, 'sim.duration')} s = ${cost.toExponential(2)} page-seconds, ` +
        `above the budget of ${RUN_BUDGET_PAGE_SECONDS.toExponential(1)}; shrink the workload or sim.duration`,
    );
  }
  const steps = plannedSteps(p);
  if (steps > MAX_THREAD_STEPS) {
    throw new ParamError(
      `run too large: about ${steps.toExponential(2)} workload steps (threads x simulated µs / sim.quantumUs, plus requests), ` +
        `above the budget of ${MAX_THREAD_STEPS.toExponential(1)}; raise sim.quantumUs or lower the thread count, rate or sim.duration`,
    );
  }
  const children = num(p, 'tree.children');
  if (children > 0 && num(p, 'tree.burstChild') >= children) {
    throw new ParamError(`tree.burstChild must be below tree.children (${children})`);
  }
  if (pages > 2 ** 31 - 1) throw new ParamError('too many pages for the page arrays');
}
