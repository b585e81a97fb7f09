import { SpecError } from '../core/index.js';
import { Clip, type ClipState } from './Clip.js';
import { DatetimeParts, type DatetimePartsState } from './DatetimeParts.js';
import { DropColumns, type DropColumnsState } from './DropColumns.js';
import { Impute, type ImputeState } from './Impute.js';
import { Interactions, type InteractionsState } from './Interactions.js';
import { RenameColumns, type RenameColumnsState } from './RenameColumns.js';
import { Scaler, type ScalerState } from './Scaler.js';
import { SelectColumns, type SelectColumnsState } from './SelectColumns.js';
import type { Transform, TransformState } from './Transform.js';
import { Validate, type ValidateState } from './Validate.js';

/** Rebuilds one kind of transform from its serialized state. */
export type TransformFromJSON = (json: TransformState<never>) => Transform;

const kinds = new Map<string, TransformFromJSON>();

/**
 * The `kind` → `fromJSON` table through which `Pipeline.fromJSON` rebuilds transforms. Each
 * transform kind registers once, below (vectorize is the pipeline's own last step, not here).
 */
export const transformRegistry = {
  register(kind: string, fromJSON: TransformFromJSON): void {
    if (kinds.has(kind)) throw new SpecError('kind', `transform kind ${JSON.stringify(kind)} is already registered`);
    kinds.set(kind, fromJSON);
  },
  has(kind: string): boolean {
    return kinds.has(kind);
  },
  kinds(): string[] {
    return [...kinds.keys()];
  },
  /** Rebuilds a transform; `path` names the state in errors (`transforms[2]`). */
  fromJSON(json: TransformState, path = 'transform'): Transform {
    const make = kinds.get(json?.kind);
    if (!make) throw new SpecError(`${path}.kind`, `unknown transform kind ${JSON.stringify(json?.kind)}; known: ${[...kinds.keys()].join(', ')}`);
    return make(json as TransformState<never>);
  },
};

transformRegistry.register('validate', (s) => Validate.fromJSON(s as TransformState<ValidateState>));
transformRegistry.register('impute', (s) => Impute.fromJSON(s as TransformState<ImputeState>));
transformRegistry.register('scale', (s) => Scaler.fromJSON(s as TransformState<ScalerState>));
transformRegistry.register('clip', (s) => Clip.fromJSON(s as TransformState<ClipState>));
transformRegistry.register('datetimeParts', (s) => DatetimeParts.fromJSON(s as TransformState<DatetimePartsState>));
transformRegistry.register('interactions', (s) => Interactions.fromJSON(s as TransformState<InteractionsState>));
transformRegistry.register('select', (s) => SelectColumns.fromJSON(s as TransformState<SelectColumnsState>));
transformRegistry.register('drop', (s) => DropColumns.fromJSON(s as TransformState<DropColumnsState>));
transformRegistry.register('rename', (s) => RenameColumns.fromJSON(s as TransformState<RenameColumnsState>));

import { Derive, type DeriveState } from './Derive.js';
import { FeatureHasher, type FeatureHasherState } from './FeatureHasher.js';
// Part B transforms (imports are hoisted; kept here so this block stays self-contained).
import { HashedCrosses, type HashedCrossesState } from './HashedCrosses.js';
import { Log1p, type Log1pState } from './Log1p.js';
import { OneHot, type OneHotState } from './OneHot.js';
import { Ordinal, type OrdinalState } from './Ordinal.js';
import { KFold, type KFoldState } from './split/KFold.js';
import { type SplitState, Splitter } from './split/Splitter.js';
import { TargetEncoder, type TargetEncoderState } from './TargetEncoder.js';
import { TopKCorrelation, type TopKCorrelationState } from './TopKCorrelation.js';
import { HashedTfidf, type HashedTfidfState } from './text/HashedTfidf.js';
import { TextCleaner, type TextCleanerState } from './text/TextCleaner.js';
import { VarianceThreshold, type VarianceThresholdState } from './VarianceThreshold.js';

transformRegistry.register('oneHot', (s) => OneHot.fromJSON(s as TransformState<OneHotState>));
transformRegistry.register('ordinal', (s) => Ordinal.fromJSON(s as TransformState<OrdinalState>));
transformRegistry.register('hash', (s) => FeatureHasher.fromJSON(s as TransformState<FeatureHasherState>));
transformRegistry.register('targetEncode', (s) => TargetEncoder.fromJSON(s as TransformState<TargetEncoderState>));
transformRegistry.register('cleanText', (s) => TextCleaner.fromJSON(s as TransformState<TextCleanerState>));
transformRegistry.register('textHash', (s) => HashedTfidf.fromJSON(s as TransformState<HashedTfidfState>));
transformRegistry.register('derive', (s) => Derive.fromJSON(s as TransformState<DeriveState>));
transformRegistry.register('varianceThreshold', (s) => VarianceThreshold.fromJSON(s as TransformState<VarianceThresholdState>));
transformRegistry.register('selectTopK', (s) => TopKCorrelation.fromJSON(s as TransformState<TopKCorrelationState>));
transformRegistry.register('split', (s) => Splitter.fromJSON(s as TransformState<SplitState>));
transformRegistry.register('log1p', (s) => Log1p.fromJSON(s as TransformState<Log1pState>));
transformRegistry.register('crosses', (s) => HashedCrosses.fromJSON(s as TransformState<HashedCrossesState>));
transformRegistry.register('kfold', (s) => KFold.fromJSON(s as TransformState<KFoldState>));
