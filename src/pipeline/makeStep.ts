import type { OperatorFunction } from 'rxjs';
import type { BadRowPolicy, Batch, Telemetry } from '../core/index.js';
import {
  Clip,
  type DatetimePart,
  DatetimeParts,
  Derive,
  DropColumns,
  FeatureHasher,
  HashedCrosses,
  HashedTfidf,
  Impute,
  type ImputeColumnSpec,
  ImputeStandardize,
  type ImputeStrategy,
  Interactions,
  Log1p,
  OneHot,
  Ordinal,
  RenameColumns,
  Scaler,
  SelectColumns,
  TargetEncoder,
  TextCleaner,
  TopKCorrelation,
  type Transform,
  Validate,
  VarianceThreshold,
} from '../features/index.js';
import { dedupe, transform } from '../operators/index.js';

/** A built step: the operator, and the transform instance behind it when it has saveable state. */
export interface BuiltStep {
  kind: string;
  operator: OperatorFunction<Batch, Batch>;
  /** The same step applying its state without learning (a test file, after training). */
  frozen: OperatorFunction<Batch, Batch>;
  transform: Transform | null;
}

export interface StepContext {
  /** The spec's target column (default target of targetEncode and selectTopK). */
  target: string | null;
  telemetry: Telemetry;
  /** Name in bad-row books and errors: `steps[2].validate`. */
  path: string;
  /** The run's shared dead-letter file (the source's): steps without their own write there too. */
  deadLetter?: string;
}

// Step options are checked against SPEC_KEYS before they get here; each case reads its own keys.
// biome-ignore lint/suspicious/noExplicitAny: a checked, per-step shape that one type cannot name.
type O = Record<string, any>;

/**
 * One spec step (already checked against SPEC_KEYS) as a transform instance wrapped in the
 * `transform` operator, so its state is shared and can be saved. The feature classes check their
 * own options again and throw SpecError; validateSpec calls this to surface those before any data.
 */
export function makeStep(kind: string, raw: unknown, ctx: StepContext): BuiltStep {
  const o: O = raw === null || raw === undefined ? {} : typeof raw === 'string' ? { columns: [raw] } : Array.isArray(raw) ? { columns: raw } : (raw as O);
  const letter = (own?: string) => (own ? { deadLetter: own } : ctx.deadLetter ? { deadLetter: ctx.deadLetter, deadLetterAppend: true } : {});
  const rows = (badRows?: BadRowPolicy, deadLetter?: string) => ({
    rows: { source: ctx.path, badRows: badRows ?? 'skip', telemetry: ctx.telemetry, ...letter(deadLetter) },
  });
  const wrap = (t: Transform, badRows?: BadRowPolicy, deadLetter?: string): BuiltStep => ({
    kind,
    transform: t,
    operator: transform(t, rows(badRows, deadLetter)),
    frozen: transform(t, { ...rows(badRows, deadLetter), frozen: true }),
  });
  const nf = o.nonFinite !== undefined ? { nonFinite: o.nonFinite } : {};
  switch (kind) {
    case 'validate':
      return wrap(
        new Validate(defined({ types: o.types, ranges: o.ranges, categories: o.categories, required: o.required, nonFinite: o.nonFinite, source: ctx.path })),
        o.badRows,
        o.deadLetter,
      );
    case 'impute': {
      const columns: Record<string, ImputeStrategy | ImputeColumnSpec> = {};
      if (Array.isArray(o.columns)) {
        for (const c of o.columns as string[])
          columns[c] = defined({ strategy: (o.strategy ?? 'mean') as ImputeStrategy, value: o.value, indicator: o.indicator });
      } else Object.assign(columns, o.columns);
      return wrap(new Impute(defined({ columns, indicator: o.indicator, ...nf })));
    }
    case 'imputeStandardize':
      return wrap(new ImputeStandardize(defined({ columns: o.columns, log1p: o.log1p })));
    case 'standardize':
      return wrap(new Scaler({ columns: o.columns, method: 'standard', ...nf }));
    case 'scale':
      return wrap(new Scaler(defined({ columns: o.columns, method: o.method, ...nf })));
    case 'clip':
      return wrap(new Clip(defined({ columns: o.columns, method: o.method, z: o.z, lower: o.lower, upper: o.upper, ...nf })));
    case 'oneHot':
      return wrap(new OneHot(o.columns, defined({ maxCategories: o.maxCategories, other: o.other })));
    case 'ordinal':
      return wrap(new Ordinal(o.columns, defined({ maxCategories: o.maxCategories, unknown: o.unknown })));
    case 'hash':
      return wrap(new FeatureHasher(o.columns, defined({ bits: o.bits, seed: o.seed, signed: o.signed, output: o.output })));
    case 'targetEncode':
      return wrap(new TargetEncoder(o.columns, defined({ target: o.target ?? ctx.target ?? '', smoothing: o.smoothing, maxCategories: o.maxCategories })));
    case 'datetime':
      return wrap(
        new DatetimeParts(
          defined({
            column: o.column,
            parts: (o.parts ?? ['hour', 'dayOfWeek', 'month']) as DatetimePart[],
            encoding: o.encoding,
            timeZone: o.timeZone,
            unit: o.unit,
            keep: o.keep,
            invalid: o.invalid,
          }),
        ),
      );
    case 'interactions':
      return wrap(new Interactions(defined({ columns: o.columns, pairs: o.pairs, squares: o.squares, ...nf })));
    case 'log1p':
      return wrap(new Log1p(o.columns));
    case 'crosses':
      return wrap(new HashedCrosses(defined({ pairs: o.pairs, bits: o.bits, output: o.output })));
    case 'derive':
      return wrap(new Derive(o.name, o.expression, { ...nf, telemetry: ctx.telemetry }));
    case 'select':
      return wrap(new SelectColumns(o.columns));
    case 'drop':
      return wrap(new DropColumns(o.columns));
    case 'rename':
      return wrap(new RenameColumns(o.columns));
    case 'dedupe': {
      const op = dedupe({
        ...defined({ keys: o.keys, count: o.count, ms: o.ms, time: o.time, maxKeys: o.maxKeys }),
        rows: { source: ctx.path, telemetry: ctx.telemetry, ...letter() },
      });
      return { kind, transform: null, operator: op, frozen: op };
    }
    case 'varianceThreshold':
      return wrap(new VarianceThreshold(o.columns, defined({ threshold: o.threshold, freezeAfter: o.freezeAfter })));
    case 'selectTopK':
      return wrap(new TopKCorrelation(o.columns, defined({ target: o.target ?? ctx.target ?? '', k: o.k, freezeAfter: o.freezeAfter })));
    case 'text':
      return wrap(
        new HashedTfidf(
          o.column,
          defined({
            bits: o.bits,
            ngrams: o.ngrams as [number, number] | undefined,
            stopwords: o.stopwords,
            idf: o.idf,
            sublinearTf: o.sublinear,
            output: o.output,
          }),
        ),
      );
    case 'cleanText':
      return wrap(
        new TextCleaner(
          o.columns,
          defined({
            lowercase: o.lowercase,
            stripHtml: o.stripHtml,
            stripUrls: o.stripUrls,
            stripNumbers: o.stripNumbers,
            stripPunctuation: o.stripPunctuation,
          }),
        ),
      );
    default:
      throw new Error(`makeStep: no builder for step "${kind}"`);
  }
}

/** The object without its undefined entries (options treat absent and undefined alike, the types do not). */
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
