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
  const children = num(p, 'tree.children');
  if (children > 0 && num(p, 'tree.burstChild') >= children) {
    throw new ParamError(`tree.burstChild must be below tree.children (${children})`);
  }
  if (pages > 2 ** 31 - 1) throw new ParamError('too many pages for the page arrays');
}
