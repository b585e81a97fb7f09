import { SpecError, Telemetry } from '../core/index.js';
import { type DriftSpec, readDriftSpec } from '../drift/index.js';
import { compileExpression } from '../features/index.js';
import { MODEL_KINDS, type ModelKind, type ModelOptions, resolveModelOptions } from '../learn/index.js';
import { makeGenerator } from '../synth/index.js';
import { resolveSearchSpace, resolveTuneOptions, type TuneOptions } from '../tune/index.js';
import { checkKeys, isObject } from './checkKeys.js';
import { makeStep } from './makeStep.js';
import { SPEC_KEYS, STEP_KEYS } from './SPEC_KEYS.js';
import type { Spec } from './Spec.js';

/** A plain column name (else the target is an expression). */
export const COLUMN_NAME = /^[A-Za-z_][\w.]*$/;

/**
 * Every problem of a parsed spec, as SpecErrors with key paths, in document order: first the
 * shape (SPEC_KEYS: types, allowed values, unknown keys with did-you-mean), then what only the
 * pieces can judge (expressions, generator options, each step's own checks), all before any
 * data is read. An empty list means `raw` is a valid Spec.
 */
export function validateSpec(raw: unknown): SpecError[] {
  const problems: SpecError[] = [];
  checkKeys(SPEC_KEYS, raw, '', problems);
  if (!isObject(raw)) return problems;
  const spec = raw as unknown as Spec;
  const bad = (path: string) => problems.some((p) => p.path === path || p.path.startsWith(`${path}.`) || p.path.startsWith(`${path}[`));
  /** A piece's own SpecError (`derive.name: ...`) under our key path, keeping a known last segment. */
  const rethrow = (path: string, e: unknown, keys: readonly string[] = []) => {
    if (!(e instanceof SpecError)) throw e;
    const own = e.path.split('.').pop()!;
    const message = e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
    problems.push(new SpecError(e.path.startsWith(path) ? e.path : keys.includes(own) ? `${path}.${own}` : path, message));
  };

  const src = spec.source;
  if (isObject(src as unknown)) {
    if (src.synthetic !== undefined && !bad('source.synthetic')) {
      const [name, opts]: [string, unknown] = typeof src.synthetic === 'string' ? [src.synthetic, {}] : Object.entries(src.synthetic)[0]!;
      try {
        makeGenerator(name, (opts ?? {}) as Record<string, unknown>, `source.synthetic.${name}`);
      } catch (e) {
        if (!(e instanceof SpecError)) throw e;
        problems.push(e);
      }
    }
    if (src.tcp && !bad('source.tcp') && (src.tcp.listen === undefined) === (src.tcp.connect === undefined))
      problems.push(new SpecError('source.tcp', 'expected exactly one of listen (a port to serve on) or connect (host:port)'));
    if (src.format === 'csv' && src.header === false && !spec.schema)
      problems.push(new SpecError('source.header', 'header: false needs a schema naming the columns'));
    if (typeof src.delimiter === 'string' && src.delimiter.length !== 1)
      problems.push(new SpecError('source.delimiter', `expected one character, got ${JSON.stringify(src.delimiter)}`));
    // The same rules buildPipeline enforces, found here so `--check` reports them before any data.
    if (src.tcp && !bad('source.tcp') && src.tcp.listen !== undefined && src.reconnect === true)
      problems.push(new SpecError('source.reconnect', 'a tcp server (listen) does not reconnect; reconnect applies to tcp.connect and websocket'));
    for (const k of ['backoff', 'maxRetries'] as const) {
      if (src[k] !== undefined && src.reconnect !== true && !bad(`source.${k}`))
        problems.push(new SpecError(`source.${k}`, 'applies only with reconnect: true'));
    }
  }

  if (typeof spec.target === 'string' && !COLUMN_NAME.test(spec.target)) {
    try {
      compileExpression(spec.target, { path: 'target' });
    } catch (e) {
      rethrow('target', e);
    }
  }
  if (spec.model !== undefined && spec.target === undefined)
    problems.push(new SpecError('target', 'required when a model is given: the column or expression to learn'));
  if (spec.split && spec.target === undefined) problems.push(new SpecError('split', 'needs a target to evaluate the held-out rows on'));

  if (Array.isArray(spec.steps)) {
    const target = typeof spec.target === 'string' ? (COLUMN_NAME.test(spec.target) ? spec.target : 'target') : null;
    spec.steps.forEach((s, i) => {
      const path = `steps[${i}]`;
      if (!isObject(s) || Object.keys(s).length !== 1 || bad(path)) return;
      const [kind, options] = Object.entries(s)[0]!;
      if (!Object.hasOwn(STEP_KEYS, kind)) return;
      if ((kind === 'targetEncode' || kind === 'selectTopK') && target === null && !(isObject(options) && options.target))
        problems.push(new SpecError(`${path}.${kind}.target`, 'required when the spec has no target'));
      try {
        makeStep(kind, options, { target, telemetry: new Telemetry(), path });
      } catch (e) {
        rethrow(`${path}.${kind}`, e, Object.keys(STEP_KEYS[kind]!.keys));
      }
    });
  }

  const training = spec.training;
  // The model's own checks (resolveModelOptions), on the options that do not depend on the data:
  // what createModel would refuse after the first batch is refused here. The class count is
  // found in the data (a softmax without one is checked with 3).
  const model =
    typeof spec.model === 'string'
      ? ([spec.model, {}] as const)
      : isObject(spec.model as unknown) && Object.keys(spec.model!).length === 1
        ? Object.entries(spec.model!)[0]!
        : null;
  if (model && (MODEL_KINDS as readonly string[]).includes(model[0]) && !bad('model') && !bad('training')) {
    const [kind, given] = model as [ModelKind, Record<string, unknown> | null];
    const { classes, ...options } = given ?? {};
    try {
      resolveModelOptions({
        ...options,
        kind,
        ...(kind === 'softmax' ? { classes: typeof classes === 'number' ? classes : 3 } : {}),
        ...(isObject(training as unknown) && training!.batchSize !== undefined ? { batchSize: training!.batchSize } : {}),
        ...(isObject(training as unknown) && training!.backend !== undefined ? { backend: training!.backend } : {}),
      } as ModelOptions);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      const key = e.path.split(/[.[]/)[0]!;
      const message = e.message.startsWith(`${e.path}: `) ? e.message.slice(e.path.length + 2) : e.message;
      problems.push(new SpecError(key === 'batchSize' || key === 'backend' ? `training.${e.path}` : `model.${kind}.${e.path}`, message));
    }
  }
  if (
    isObject(training as unknown) &&
    (training!.epochs ?? 1) > 1 &&
    isObject(src as unknown) &&
    (src.tcp || src.websocket || (src.synthetic && !src.maxRows && !training!.maxRows))
  )
    problems.push(new SpecError('training.epochs', 'more than one epoch needs finite data: a file, or a synthetic source with maxRows'));
  // The detector's own option checks (a bad delta, an unknown option), and a drift section needs a model to watch.
  if (spec.drift !== undefined && !bad('drift')) {
    if (spec.target === undefined) problems.push(new SpecError('drift', "needs a target: drift is watched on the model's errors"));
    else if (isObject(spec.evaluation as unknown) && spec.evaluation!.progressive === false)
      problems.push(new SpecError('drift', 'needs progressive evaluation: the detector reads the rows as they are scored (evaluation.progressive is false)'));
    try {
      readDriftSpec(spec.drift as DriftSpec, 'drift');
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      problems.push(e);
    }
  }
  if (spec.tune !== undefined && !bad('tune')) {
    if (spec.target === undefined) problems.push(new SpecError('tune', 'needs a target: candidates race on their progressive loss'));
    if (spec.drift !== undefined)
      problems.push(new SpecError('tune', 'cannot be used with drift yet: a race keeps one model per candidate, drift adaptation one more'));
    if (isObject(spec.evaluation as unknown) && spec.evaluation!.progressive === false)
      problems.push(new SpecError('tune', 'needs progressive evaluation: candidates race on their progressive loss (evaluation.progressive is false)'));
    try {
      const t = resolveTuneOptions(spec.tune as TuneOptions);
      if (t.space) resolveSearchSpace(t.space);
    } catch (e) {
      if (!(e instanceof SpecError)) throw e;
      problems.push(e);
    }
  }
  if (isObject(spec.output as unknown) && spec.output!.save === true && !spec.output!.dir)
    problems.push(new SpecError('output.save', 'needs output.dir to save the pipeline into'));
  if (isObject(spec.output as unknown) && spec.output!.registry !== undefined) {
    if (spec.output!.dir !== undefined)
      problems.push(new SpecError('output.registry', 'cannot be used with output.dir: a registry version is the saved directory (give one or the other)'));
    if (spec.output!.save === false) problems.push(new SpecError('output.registry', 'needs the pipeline saved (output.save is false)'));
  }
  return problems;
}
