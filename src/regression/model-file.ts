// Gap models on disk: versioned JSON. Loading checks every field it relies on and names the file and
// the field when one is wrong, because a bad model would otherwise show up as a plausible-looking
// predicted gap.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GAP_MODEL_VERSION, type GapCoefficients, type GapModel } from './fit.js';

/** What `loadGapModel` returns: always the coefficients; the rest when the source had it. */
export type LoadedGapModel = GapCoefficients & Partial<Omit<GapModel, keyof GapCoefficients>>;

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly where: string) {}

  fail(field: string, expected: string, value: unknown): never {
    throw new Error(`gap model ${this.where}: ${field} must be ${expected}, got ${JSON.stringify(value) ?? String(value)}`);
  }

  object(field: string, value: unknown): Json {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(field, 'an object', value);
    return value as Json;
  }

  number(field: string, value: unknown, { minimum = -Infinity, integer = false } = {}): number {
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= minimum && (!integer || Number.isInteger(value));
    if (!ok) this.fail(field, `a${integer ? 'n integer' : ' finite number'}${minimum > -Infinity ? ` >= ${minimum}` : ''}`, value);
    return value as number;
  }

  string(field: string, value: unknown): string {
    if (typeof value !== 'string' || value === '') this.fail(field, 'a non-empty string', value);
    return value as string;
  }
}

function checkFit(c: Checker, value: unknown): void {
  const fit = c.object('fit', value);
  c.number('fit.n', fit.n, { minimum: 1, integer: true });
  c.number('fit.ssr', fit.ssr, { minimum: 0 });
  c.number('fit.rmse', fit.rmse, { minimum: 0 });
  // JSON has no NaN: an undefined correlation is stored as null.
  if (fit.pearson === null) fit.pearson = Number.NaN;
  else c.number('fit.pearson', fit.pearson, { minimum: -1 });
}

function checkProvenance(c: Checker, value: unknown): void {
  const p = c.object('provenance', value);
  if (p.points !== 'final' && p.points !== 'trajectory') c.fail('provenance.points', "'final' or 'trajectory'", p.points);
  c.number('provenance.runs', p.runs, { minimum: 1, integer: true });
  if (p.dataset !== undefined) c.string('provenance.dataset', p.dataset);
  if (p.probe !== undefined) c.object('provenance.probe', p.probe);
  if (p.fingerprint === undefined) return;
  const f = c.object('provenance.fingerprint', p.fingerprint);
  c.string('provenance.fingerprint.layer', f.layer);
  c.number('provenance.fingerprint.units', f.units, { minimum: 1, integer: true });
  c.number('provenance.fingerprint.numClasses', f.numClasses, { minimum: 2, integer: true });
  if (!Array.isArray(f.inputShape) || f.inputShape.length === 0) c.fail('provenance.fingerprint.inputShape', 'an array of sizes', f.inputShape);
  (f.inputShape as unknown[]).forEach((d, i) => c.number(`provenance.fingerprint.inputShape[${i}]`, d, { minimum: 1, integer: true }));
  if (f.architecture !== undefined) c.string('provenance.fingerprint.architecture', f.architecture);
  if (f.optimizer !== undefined) c.string('provenance.fingerprint.optimizer', f.optimizer);
}

/**
 * Checks a parsed gap model. A plain { a, b, c } is a model; a versioned one (what `saveGapModel`
 * writes) must also carry `fit` and `provenance`.
 */
export function checkGapModel(value: unknown, where = 'object'): LoadedGapModel {
  const c = new Checker(where);
  const model = c.object('the model', value);
  for (const k of ['a', 'b', 'c'] as const) c.number(k, model[k]);
  if (model.version !== undefined && model.version !== GAP_MODEL_VERSION) c.fail('version', String(GAP_MODEL_VERSION), model.version);
  if (model.version !== undefined || model.fit !== undefined) checkFit(c, model.fit);
  if (model.version !== undefined || model.provenance !== undefined) checkProvenance(c, model.provenance);
  return model as unknown as LoadedGapModel;
}

/** A gap model from a JSON file or an object (a plain { a, b, c } is accepted). */
export function loadGapModel(source: string | object): LoadedGapModel {
  if (typeof source !== 'string') return checkGapModel(structuredClone(source));
  let text: string;
  try {
    text = readFileSync(source, 'utf8');
  } catch (error) {
    throw new Error(`gap model ${source}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`gap model ${source}: not valid JSON (${(error as Error).message})`);
  }
  return checkGapModel(parsed, source);
}

/** Writes a gap model as JSON (directories created as needed), after checking it. */
export function saveGapModel(path: string, model: GapModel): void {
  checkGapModel(structuredClone(model), path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(model, null, 2)}\n`);
}
