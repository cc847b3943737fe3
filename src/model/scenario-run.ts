/**
 * Run a scenario: resolve each arm's parameters (scenario size, arm, the user's --set, profile and
 * seed), refuse up front if any arm is over the run budget, run the arms and compute the findings.
 */
import { ParamError, resolveParams, type ParamOverrides, type Params } from './params.ts';
import { PROFILE_IDS } from './profiles.ts';
import { runArm, type ArmResult } from './arm.ts';
import { checkRun } from './budget.ts';
import { SCENARIOS, armLayers, findScenario, type Finding, type Scenario } from './scenarios.ts';

export interface ScenarioOptions {
  /** Kernel profile for every arm (wins over the arms' own). */
  profile?: string;
  seed?: number;
  /** The user's parameter settings; they win over the scenario's and the arms'. */
  set?: ParamOverrides;
  /** Use the scenario's quick size (the page default). */
  quick?: boolean;
  /** Run only these arms (by name). */
  arms?: string[];
  /** Called with (arm index, simulated µs) now and then. */
  onProgress?: (arm: number, nowUs: number) => void;
}

export interface ScenarioResult {
  scenario: {
    id: string;
    title: string;
    question: string;
    expected: string;
    messageIds: string[];
    externalIds: string[];
    whatIf: boolean;
  };
  size: 'quick' | 'full';
  seed: number;
  arms: ArmResult[];
  findings: Finding[];
  /** Keys the user set that an arm also sets (the user's value was used). */
  overridden: string[];
}

/** The scenario or a ParamError listing the valid ids. */
export function scenarioOrThrow(id: string): Scenario {
  const s = findScenario(id);
  if (!s)
    throw new ParamError(
      `unknown scenario ${JSON.stringify(id)}; valid: ${SCENARIOS.map((x) => x.id).join(', ')}`,
    );
  return s;
}

/** Resolve the parameters of every selected arm (throws ParamError on bad names or values). */
export function resolveArms(
  s: Scenario,
  opts: ScenarioOptions = {},
): { name: string; title: string; params: Params }[] {
  const user: ParamOverrides = { ...(opts.set ?? {}) };
  if (opts.profile !== undefined) {
    if (!(PROFILE_IDS as readonly string[]).includes(opts.profile)) {
      throw new ParamError(
        `unknown profile ${JSON.stringify(opts.profile)}; valid: ${PROFILE_IDS.join(', ')}`,
      );
    }
    user['kernel.profile'] = opts.profile;
  }
  let arms = s.arms;
  if (opts.arms && opts.arms.length > 0) {
    const names = s.arms.map((a) => a.name);
    for (const a of opts.arms) {
      if (!names.includes(a))
        throw new ParamError(`unknown arm ${JSON.stringify(a)} of ${s.id}; valid: ${names.join(', ')}`);
    }
    arms = s.arms.filter((a) => opts.arms?.includes(a.name));
  }
  return arms.map((arm) => {
    const params = resolveParams(...armLayers(s, arm, opts.quick === true, user));
    checkRun(params);
    return { name: arm.name, title: arm.title, params };
  });
}

/** Keys the user set that some selected arm sets too. */
export function overriddenKeys(s: Scenario, user: ParamOverrides): string[] {
  const keys = new Set<string>();
  for (const arm of s.arms) for (const k of Object.keys(arm.set)) if (k in user) keys.add(k);
  return [...keys].sort();
}

/** Run a scenario's arms and compute its findings. */
export function runScenario(id: string, opts: ScenarioOptions = {}): ScenarioResult {
  const s = scenarioOrThrow(id);
  const seed = opts.seed ?? 1;
  const resolved = resolveArms(s, opts);
  const arms = resolved.map((r, i) =>
    runArm(r.params, seed, r.name, r.title, (t) => opts.onProgress?.(i, t)),
  );
  const user = { ...(opts.set ?? {}), ...(opts.profile ? { 'kernel.profile': opts.profile } : {}) };
  return {
    scenario: {
      id: s.id,
      title: s.title,
      question: s.question,
      expected: s.expected,
      messageIds: [...s.messageIds],
      externalIds: [...(s.externalIds ?? [])],
      whatIf: s.whatIf === true,
    },
    size: opts.quick ? 'quick' : 'full',
    seed,
    arms,
    findings: s.findings(arms),
    overridden: overriddenKeys(s, user),
  };
}
