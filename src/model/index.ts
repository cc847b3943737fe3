/**
 * The reference reclaim model: memory.high against memory.reclaim (reclaim-model.md). Pure
 * TypeScript with no Node or DOM APIs, so the CLI and the browser worker run the same code.
 */
export { SCENARIOS, findScenario, scenarioCatalog, armLayers } from './scenarios.ts';
export type { Scenario, ScenarioArm, ScenarioCatalogEntry, Finding, ArmView } from './scenarios.ts';
export { runScenario, resolveArms, scenarioOrThrow } from './scenario-run.ts';
export type { ScenarioOptions, ScenarioResult } from './scenario-run.ts';
export { runArm, buildRun } from './arm.ts';
export { checkRun, plannedPages, RUN_BUDGET_PAGE_SECONDS } from './budget.ts';
export { SERIES } from './series.ts';
export type { ArmResult, ArmSummary, Series } from './arm.ts';
export {
  PARAMS,
  ParamError,
  parseParam,
  parseSetArgs,
  resolveParams,
  paramSpec,
  validKeysText,
} from './params.ts';
export type { ParamSpec, Params, ParamOverrides, ParamValue } from './params.ts';
export { PROFILES, PROFILE_IDS } from './profiles.ts';
export type { ProfileId, KernelProfile } from './profiles.ts';
export { runValidation, VALIDATION_IDS } from './validate.ts';
export type { ValidationRow } from './validate.ts';
export { toCsv } from './csv.ts';
export {
  parseScenarioFile,
  validateScenario,
  ScenarioFileError,
  SCENARIO_FORMAT,
  SCENARIO_LIMITS,
} from './scenario-file.ts';
export type { ScenarioFile, TreeNode, TreeWrite, TreeWorkload } from './scenario-file.ts';
export { parseScenarioText } from './scenario-text.ts';
export type { ParsedScenarioText, ScenarioSyntax } from './scenario-text.ts';
export { runTreeScenario, runScenarioFileText, TREE_RUN_BUDGET_UNITS } from './tree-run.ts';
export type { TreeRunResult, TreeWriteResult, TreeCgroupResult, ChildShare } from './tree-run.ts';
export { ReclaimLedger } from './reclaim.ts';
export { FILE_SCENARIOS, findFileScenario } from './file-scenarios.ts';
export type { FileScenario } from './file-scenarios.ts';
export type { TreeJobResult, TreeControllerResult, TreeSweepResult, SweepPoint } from './tree-run.ts';
