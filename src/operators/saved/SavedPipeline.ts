import { map, type OperatorFunction } from 'rxjs';
import {
  asyncMap,
  type BadRows,
  type Batch,
  type Column,
  type ColumnType,
  type FeatureMatrix,
  INPUT_TYPES,
  SchemaError,
  SpecError,
  StringDictionary,
} from '../../core/index.js';
import { Derive, labelRejects, Pipeline, type PipelineState, rejectRows } from '../../features/index.js';
import { type Model, type ModelFromStateOptions, type ModelState, modelFromState, type Task } from '../../learn/index.js';

/** What `sluice train --save` writes as pipeline.json (version 1). */
export interface SavedPipelineFile {
  version: number;
  task: Task;
  lineage?: unknown;
  /** The training source's column types (absent in artifacts saved before they were recorded). */
  input?: { types?: Record<string, string> | null };
  pipeline: PipelineState;
  model: ModelState;
  report?: { choices?: { classes?: string[] | null; positive?: string | null } } & Record<string, unknown>;
}

/**
 * Bad-row books for one call of `features()` (a stream learned beside requests): each step's
 * books by its kind, used instead of those `setBadRows` gave the steps for that call only, and
 * the books of rows whose label cannot be learned (reason `label`).
 */
export interface FeatureBooks {
  steps: (step: string) => BadRows;
  /** Rows with a missing label, or one that is not a class (or a finite number): skipped with reason `label`. Absent: passed through (their target is NaN). */
  labels?: BadRows;
}

/** What `artifact()` writes besides the steps and the model; each absent part is the loaded artifact's. */
export interface ArtifactOptions {
  /** The model's state (default `model.state()` now): a caller that learns takes it between two updates. */
  model?: ModelState;
  lineage?: unknown;
  report?: Record<string, unknown>;
}

export interface PredictOptions {
  /** Put before the added columns' names (default none): `prediction`, `probability`, `probability_<class>`. */
  prefix?: string;
  /** Binary: the positive class is predicted from this probability on (default 0.5). */
  threshold?: number;
}

/** The columns predict adds, by task. */
export interface PredictionColumns {
  /** The predicted class (binary, multiclass) or value (regression). */
  prediction: string;
  /** Binary: P(positive class). */
  probability: string | null;
  /** Multiclass: P(class) per class, in the model's class order. */
  perClass: string[] | null;
}

/**
 * A trained pipeline read back from its artifact: the frozen preprocessing steps, the model and
 * the classes. No step learns, so the same input gives the same predictions as the stream that
 * saved it (the model ran its last update there) until a caller makes the model learn: `sluice
 * serve`'s POST /learn and /feedback give `model.learn` rows through `features()` (the steps as
 * trained, the label read as `labelCode` reads it); predicting never changes the model.
 *
 * The step that derives the target from other columns (`--target 'delay > 15'`) does not run when
 * predicting: data to score usually lacks the label, nothing but the label comes of that step,
 * and a row must be scored whatever its label holds. `features()` runs it when its inputs are
 * there, so the matrix carries the labels.
 */
export class SavedPipeline {
  readonly task: Task;
  /** Class labels in the model's order (binary: negative, positive); null for regression. */
  readonly classes: readonly string[] | null;
  readonly pipeline: Pipeline;
  /** The column the model learned (its name after the steps); null when unrecorded. */
  readonly target: string | null;
  private readonly targetStep: Derive | null;
  /**
   * The training source's column types by name (null when the artifact predates them): `sluice
   * predict` reads CSV inputs with these (the CSV option typeHints), so a column is typed as the
   * steps expect whatever the new rows look like, and a value that does not fit is a bad row, not
   * a new type. (NDJSON declares a whole schema or none; it is read as it comes.) The label and
   * the columns the target step reads are left out: a row is scored whatever its label holds.
   */
  readonly inputTypes: Readonly<Record<string, ColumnType>> | null;
  /**
   * What a labelled row carries besides the inputs, named as in the training source: the target
   * column, or the columns the target expression reads when the target is derived (`--target
   * 'delay > 15'` reads delay). Empty when the vectorize step has no target.
   */
  readonly labelColumns: readonly string[];
  /** The training source's types of `labelColumns` (null when the artifact predates types; a column not recorded is absent). */
  readonly labelTypes: Readonly<Record<string, ColumnType>> | null;
  /** The artifact's input.types as read (label columns included). */
  private readonly rawTypes: Readonly<Record<string, ColumnType>> | null;

  private constructor(
    readonly model: Model,
    pipeline: Pipeline,
    task: Task,
    /** Where it was read from, for errors. */
    readonly source: string,
    inputTypes: Record<string, ColumnType> | null,
    /** The loaded artifact's lineage and report, written again by `artifact()` unless replaced. */
    private readonly origin: { lineage: unknown; report: Record<string, unknown> | null } = { lineage: null, report: null },
  ) {
    this.pipeline = pipeline.freeze();
    this.rawTypes = inputTypes;
    this.task = task;
    const v = pipeline.vectorizer;
    if (!v) throw new SpecError('pipeline.transforms', `${source}: the pipeline has no vectorize step, so it cannot feed a model`);
    this.target = v.target;
    this.classes = task === 'regression' ? null : v.classes;
    if (task !== 'regression' && (!this.classes || this.classes.length < 2))
      throw new SpecError('pipeline.transforms', `${source}: a ${task} model needs its classes in the vectorize step, found ${JSON.stringify(this.classes)}`);
    const t = pipeline.transforms.find((s): s is Derive => s instanceof Derive && s.name === v.target);
    this.targetStep = t ?? null;
    // The label and what only the label is made of are not typed: scoring must not depend on them.
    const labelOnly = new Set([...(v.target ? [v.target] : []), ...(t ? t.columns : [])]);
    this.inputTypes = inputTypes && Object.fromEntries(Object.entries(inputTypes).filter(([c]) => !labelOnly.has(c)));
    this.labelColumns = t ? [...t.columns] : v.target ? [v.target] : [];
    this.labelTypes = inputTypes && Object.fromEntries(Object.entries(inputTypes).filter(([c]) => this.labelColumns.includes(c)));
  }

  /**
   * A value of the target as the model learns it: its class index (a label is read as text, as a
   * CSV cell: 1 is the class "1", true the class "true"), or for regression the finite number
   * itself. NaN when it is not one of the classes, not a finite number, or not a scalar.
   */
  labelCode(label: unknown): number {
    if (this.task === 'regression') return typeof label === 'number' && Number.isFinite(label) ? label : Number.NaN;
    if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean') return Number.NaN;
    const i = this.classes!.indexOf(String(label));
    return i < 0 ? Number.NaN : i;
  }

  /** Rebuilds the pipeline and the model from a parsed pipeline.json (`source` names it in errors). */
  static async fromJSON(json: SavedPipelineFile, source: string, options: ModelFromStateOptions = {}): Promise<SavedPipeline> {
    if (!json || typeof json !== 'object') throw new SpecError('(root)', `${source}: expected a pipeline artifact object`);
    if (json.version !== 1) throw new SpecError('version', `${source}: expected artifact version 1, got ${JSON.stringify(json.version)}`);
    if (json.task !== 'binary' && json.task !== 'multiclass' && json.task !== 'regression')
      throw new SpecError('task', `${source}: expected binary, multiclass or regression, got ${JSON.stringify(json.task)}`);
    if (!json.pipeline || typeof json.pipeline !== 'object') throw new SpecError('pipeline', `${source}: missing`);
    if (!json.model || typeof json.model !== 'object') throw new SpecError('model', `${source}: missing`);
    const types = json.input?.types ?? null;
    if (types !== null && (typeof types !== 'object' || Object.values(types).some((t) => !INPUT_TYPES.includes(t as ColumnType))))
      throw new SpecError('input.types', `${source}: expected column types among ${INPUT_TYPES.join('|')}, got ${JSON.stringify(types)}`);
    // A damaged artifact is named as such, whatever part of it a step or the model trips on.
    const named = (key: string, e: unknown) => new SpecError(key, `${source}: not a loadable ${key}: ${(e as Error)?.message ?? String(e)}`);
    let pipeline: Pipeline;
    try {
      pipeline = Pipeline.fromJSON(json.pipeline);
    } catch (e) {
      throw named('pipeline', e);
    }
    let model: Model;
    try {
      model = await modelFromState(json.model, options);
    } catch (e) {
      throw named('model', e);
    }
    if (model.task !== json.task) throw new SpecError('model.task', `${source}: the model is ${model.task}, the artifact says ${json.task}`);
    const width = pipeline.layout?.width;
    if (width !== undefined && model.inputs !== null && width !== model.inputs)
      throw new SpecError('model.inputs', `${source}: the model takes ${model.inputs} inputs, the pipeline's vectorize step makes ${width}`);
    const report = json.report && typeof json.report === 'object' ? (json.report as Record<string, unknown>) : null;
    return new SavedPipeline(model, pipeline, json.task, source, types as Record<string, ColumnType> | null, { lineage: json.lineage ?? null, report });
  }

  /**
   * The pipeline as an artifact (pipeline.json, version 1, what `sluice train --save` writes and
   * `loadPipeline` reads): the steps as loaded (frozen: serving never changes them), the model's
   * state (its learned weights: `options.model`, or read now), the input types as recorded, and
   * the loaded artifact's lineage and report unless given. Async: a model on a device is read back.
   */
  async artifact(options: ArtifactOptions = {}): Promise<SavedPipelineFile> {
    const model = options.model ?? (await this.model.state());
    return {
      version: 1,
      task: this.task,
      lineage: options.lineage !== undefined ? options.lineage : this.origin.lineage,
      input: { types: this.rawTypes === null ? null : { ...this.rawTypes } },
      pipeline: this.pipeline.toJSON(),
      model,
      ...(options.report !== undefined ? { report: options.report } : this.origin.report !== null ? { report: this.origin.report } : {}),
    };
  }

  /**
   * `artifact()` as JSON text (what pipeline.json holds). The steps' part is serialized once and
   * kept (they are frozen), so a server that publishes often spends its time on the model's state only.
   */
  async artifactText(options: ArtifactOptions = {}): Promise<string> {
    const model = options.model ?? (await this.model.state());
    const head = JSON.stringify({
      version: 1,
      task: this.task,
      lineage: options.lineage !== undefined ? options.lineage : this.origin.lineage,
      input: { types: this.rawTypes === null ? null : { ...this.rawTypes } },
    });
    const report = options.report !== undefined ? options.report : this.origin.report;
    this.pipelineText ??= JSON.stringify(this.pipeline.toJSON());
    return `${head.slice(0, -1)},"pipeline":${this.pipelineText},"model":${JSON.stringify(model)}${report !== null ? `,"report":${JSON.stringify(report)}` : ''}}`;
  }
  private pipelineText: string | null = null;

  /** The loaded artifact's report (null when it had none): its `choices` say how the task and classes were chosen. */
  get savedReport(): Readonly<Record<string, unknown>> | null {
    return this.origin.report;
  }

  /** The loaded artifact's lineage (null when it had none). */
  get lineage(): unknown {
    return this.origin.lineage;
  }

  /** Bad-row policy of the steps (a row the vectorizer cannot take: skip and count, or fail). */
  setBadRows(make: (step: string) => BadRows): void {
    for (const t of this.pipeline.transforms) if ('badRows' in t) (t as { badRows: BadRows | null }).badRows = make(t.kind);
    this.pipeline.vectorizer!.badRows = make('vectorize');
  }

  /** Names of the columns predict adds. */
  columns(options: PredictOptions = {}): PredictionColumns {
    const p = options.prefix ?? '';
    if (this.task === 'binary') return { prediction: `${p}prediction`, probability: `${p}probability`, perClass: null };
    if (this.task === 'multiclass') return { prediction: `${p}prediction`, probability: null, perClass: this.classes!.map((c) => `${p}probability_${c}`) };
    return { prediction: `${p}prediction`, probability: null, perClass: null };
  }

  /** The names of the columns predictBatch adds, in the order it adds them. */
  addedColumns(options: PredictOptions = {}): string[] {
    const c = this.columns(options);
    return [c.prediction, ...(c.probability ? [c.probability] : []), ...(c.perClass ?? [])];
  }

  /**
   * The model's input for one batch: the frozen steps, then vectorize. The target's own step runs
   * when `withTarget` and its inputs are there (the matrix then carries the labels); predictBatch
   * never runs it, so a row is scored whatever its label holds.
   */
  features(batch: Batch, withTarget = true, books?: FeatureBooks): FeatureMatrix {
    if (books) return this.withBooks(books, () => this.featuresOf(batch, withTarget, books.labels ?? null));
    return this.featuresOf(batch, withTarget, null);
  }

  private featuresOf(batch: Batch, withTarget: boolean, labels: BadRows | null): FeatureMatrix {
    let b = batch;
    const skip = this.targetStep;
    for (const t of this.pipeline.transforms) {
      if (t === skip && (!withTarget || !skip.columns.every((c) => b.has(c)))) continue;
      b = t.apply(b);
    }
    if (labels && withTarget && this.target !== null && b.has(this.target)) {
      const classes = this.classes;
      const rejects = labelRejects(b, this.target, this.task === 'regression' ? 'regression' : 'classification', classes?.length ?? 0, classes);
      b = rejectRows(b, rejects, labels, labels.source);
    }
    return this.pipeline.vectorizer!.apply(b);
  }

  /**
   * Runs `fn` (synchronous) with every step's bad-row books replaced by `books`', then puts the
   * steps' own back. Synchronous, so no other caller of features() runs in between.
   */
  private withBooks<T>(books: FeatureBooks, fn: () => T): T {
    const steps = this.pipeline.transforms.filter((t) => 'badRows' in t) as unknown as Array<{ kind: string; badRows: BadRows | null }>;
    const v = this.pipeline.vectorizer!;
    const own = steps.map((t) => t.badRows);
    const ownV = v.badRows;
    try {
      for (const t of steps) t.badRows = books.steps(t.kind);
      v.badRows = books.steps('vectorize');
      return fn();
    } finally {
      steps.forEach((t, i) => {
        t.badRows = own[i]!;
      });
      v.badRows = ownV;
    }
  }

  /**
   * The rows of `batch` the steps kept, as they came in, with the prediction columns added. A
   * row the steps reject is left out (counted by their BadRows: setBadRows).
   */
  async predictBatch(batch: Batch, options: PredictOptions = {}): Promise<Batch> {
    checkPredictOptions(options, this.task);
    const threshold = options.threshold ?? 0.5;
    const names = this.columns(options);
    const added = this.addedColumns(options);
    const clash = added.filter((n) => batch.has(n));
    if (clash.length > 0)
      throw new SchemaError(
        `the input already has a column ${clash.map((n) => `"${n}"`).join(', ')}; give the added columns a prefix (--prefix, predict's prefix option)`,
        clash[0],
      );
    const x = this.features(batch, false);
    const rows = x.rows === batch.length ? batch : batch.take(keptRows(batch.rowIds, x.rowIds));
    if (x.rows === 0) return withColumnsOf(rows, added, this.task, this.classes);
    const p = await this.model.predict(x);
    const n = x.rows;
    const entries: Array<{ name: string; column: Column; nullable: boolean }> = [];
    if (this.task === 'regression') {
      entries.push({ name: names.prediction, column: { type: 'number', values: Float64Array.from(p.subarray(0, n)), validity: null }, nullable: false });
    } else if (this.task === 'binary') {
      const codes = new Int32Array(n);
      for (let i = 0; i < n; i++) codes[i] = p[i]! >= threshold ? 1 : 0;
      entries.push({
        name: names.prediction,
        column: { type: 'category', codes, dictionary: this.classDictionary(), validity: null },
        nullable: false,
      });
      entries.push({ name: names.probability!, column: { type: 'number', values: Float64Array.from(p.subarray(0, n)), validity: null }, nullable: false });
    } else {
      const K = this.classes!.length;
      const codes = new Int32Array(n);
      const per = this.classes!.map(() => new Float64Array(n));
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let k = 0; k < K; k++) {
          const v = p[i * K + k]!;
          per[k]![i] = v;
          if (v > p[i * K + best]!) best = k;
        }
        codes[i] = best;
      }
      entries.push({
        name: names.prediction,
        column: { type: 'category', codes, dictionary: this.classDictionary(), validity: null },
        nullable: false,
      });
      names.perClass!.forEach((name, k) => {
        entries.push({ name, column: { type: 'number', values: per[k]!, validity: null }, nullable: false });
      });
    }
    return rows.withColumns(entries);
  }

  /** The classes as the dictionary of the prediction column: one for every batch (codes = class indices). */
  private classDictionary(): StringDictionary {
    this.classDict ??= new StringDictionary(this.classes!);
    return this.classDict;
  }
  private classDict: StringDictionary | null = null;

  /** predictBatch as an operator: batches in order, one at a time. */
  predict(options: PredictOptions = {}): OperatorFunction<Batch, Batch> {
    checkPredictOptions(options, this.task);
    return asyncMap((b) => this.predictBatch(b, options));
  }

  /** The model's inputs (frozen features) as an operator. */
  transform(): OperatorFunction<Batch, FeatureMatrix> {
    return map((b: Batch) => this.features(b));
  }

  /** Frees the model's device memory. */
  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/** Positions in `all` (increasing row ids) of the ids in `kept` (an increasing subset). */
function keptRows(all: Float64Array, kept: Float64Array | null): Int32Array {
  if (!kept) throw new SchemaError('the features lost their row ids: cannot match predictions to input rows');
  const out = new Int32Array(kept.length);
  for (let i = 0, j = 0; i < kept.length; i++) {
    while (j < all.length && all[j] !== kept[i]) j++;
    if (j === all.length) throw new SchemaError(`row ${kept[i]} of the features is not among the input's rows`);
    out[i] = j++;
  }
  return out;
}

/** An empty batch with the prediction columns (every row was rejected): same columns as the others. */
function withColumnsOf(rows: Batch, added: string[], task: Task, classes: readonly string[] | null): Batch {
  return rows.withColumns(
    added.map((name, i) => ({
      name,
      column:
        i === 0 && task !== 'regression'
          ? ({ type: 'category', codes: new Int32Array(0), dictionary: new StringDictionary(classes!), validity: null } as Column)
          : ({ type: 'number', values: new Float64Array(0), validity: null } as Column),
      nullable: false,
    })),
  );
}

function checkPredictOptions(o: PredictOptions, task: Task): void {
  if (o.threshold !== undefined) {
    if (!(o.threshold > 0 && o.threshold < 1)) throw new SpecError('threshold', `expected a probability in (0, 1), got ${String(o.threshold)}`);
    if (task !== 'binary') throw new SpecError('threshold', `applies to a binary model, this one is ${task}`);
  }
  if (o.prefix !== undefined && typeof o.prefix !== 'string') throw new SpecError('prefix', `expected a string, got ${String(o.prefix)}`);
}
