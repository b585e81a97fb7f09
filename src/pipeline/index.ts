// Spec files: one declarative description of every key (SPEC_KEYS) drives validation and docs/spec.md.
export type { KeySpec, StringKey, NumberKey, BooleanKey, ObjectKey, ListKey, MapKey, UnionKey, VariantKey, AnyKey } from './KeySpec.js';
// The lists of allowed values live with their modules (MODEL_KINDS in learn, IMPUTE_STRATEGIES in features...).
export { SPEC_KEYS, STEP_KEYS } from './SPEC_KEYS.js';
export type { Spec, SourceSpec } from './Spec.js';
export { SpecErrors } from './SpecErrors.js';
export { checkKeys, RESERVED_KEYS } from './checkKeys.js';
export { validateSpec, COLUMN_NAME } from './validateSpec.js';
export { readSpec, parseSpec } from './readSpec.js';
export { makeStep, defined, type BuiltStep, type StepContext } from './makeStep.js';
export { specDoc } from './specDoc.js';
export { buildPipeline, TARGET_COLUMN, type BuiltPipeline, type BuildOptions } from './buildPipeline.js';
