// Spec files: one declarative description of every key (SPEC_KEYS) drives validation and docs/spec.md.

export { type BuildOptions, type BuiltPipeline, buildPipeline, type SourceResume, TARGET_COLUMN } from './buildPipeline.js';
export { checkKeys, RESERVED_KEYS } from './checkKeys.js';
export type { AnyKey, BooleanKey, KeySpec, ListKey, MapKey, NumberKey, ObjectKey, StringKey, UnionKey, VariantKey } from './KeySpec.js';
export { type BuiltStep, defined, makeStep, type StepContext } from './makeStep.js';
export { parseSpec, readSpec } from './readSpec.js';
// The lists of allowed values live with their modules (MODEL_KINDS in learn, IMPUTE_STRATEGIES in features...).
export { SPEC_KEYS, STEP_KEYS } from './SPEC_KEYS.js';
export type { SourceSpec, Spec } from './Spec.js';
export { SpecErrors } from './SpecErrors.js';
export { specDoc } from './specDoc.js';
export { COLUMN_NAME, validateSpec } from './validateSpec.js';
