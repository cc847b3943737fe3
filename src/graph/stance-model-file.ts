/**
 * Reading and writing the shipped stance model, data/stance-model.json (Node only; the model
 * itself, src/graph/stance-model.ts, is pure). A missing file means "rules only"; a damaged one
 * is an error that names the file, never a silent fallback.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { checkModelFile, type StanceModelFile } from './stance-model.ts';

export const STANCE_MODEL_PATH = fileURLToPath(new URL('../../data/stance-model.json', import.meta.url));

const cache = new Map<string, { model: StanceModelFile | null }>();

/**
 * The model at `path`, or null when there is none. Cached per path. The default is
 * data/stance-model.json; the environment variable ARGMAP_STANCE_MODEL names another file, or
 * `none` for the rules alone (to compare the two, or to time the model's cost).
 */
export function loadStanceModel(
  path = process.env.ARGMAP_STANCE_MODEL || STANCE_MODEL_PATH,
): StanceModelFile | null {
  if (path === 'none') return null;
  const hit = cache.get(path);
  if (hit) return hit.model;
  let model: StanceModelFile | null = null;
  if (existsSync(path)) {
    try {
      model = checkModelFile(JSON.parse(readFileSync(path, 'utf8')));
    } catch (e) {
      throw new Error(`${path}: ${(e as Error).message} (retrain with: argmap graph train)`, { cause: e });
    }
  }
  cache.set(path, { model });
  return model;
}

/** A short id of a model's weights: a different model means a different graph (full rebuild). */
export function modelId(model: StanceModelFile): string {
  return createHash('sha256')
    .update(JSON.stringify([model.classes, model.weights, model.bias, model.temperature, model.rulePrior]))
    .digest('hex')
    .slice(0, 12);
}

/** Write a model file: one feature per line, so a review diff shows which weights moved. */
export function writeStanceModel(model: StanceModelFile, path = STANCE_MODEL_PATH): void {
  const names = Object.keys(model.weights).sort();
  const lines = names.map((n) => `    ${JSON.stringify(n)}: ${JSON.stringify(model.weights[n])}`);
  const head = JSON.stringify(
    {
      format: model.format,
      classes: model.classes,
      bias: model.bias,
      temperature: model.temperature,
      rulePrior: model.rulePrior,
      trained: model.trained,
    },
    null,
    2,
  );
  const text = head.slice(0, -2) + ',\n  "weights": {\n' + lines.join(',\n') + '\n  }\n}\n';
  checkModelFile(JSON.parse(text));
  writeFileSync(path, text);
  cache.delete(path);
}
