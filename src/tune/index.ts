/**
 * Hyperparameter tuning: search spaces as data, K candidates raced online on one stream
 * (successive halving on the progressive loss), and candidates of one shape batched into one
 * pass. No RxJS: operators/, the spec and the CLI wrap them. See docs/tune.md.
 */
export { BatchedSparseLinear } from './BatchedSparseLinear.js';
export { defaultSearchSpace } from './defaultSearchSpace.js';
export { type RaceHooks, RaceModel, type TuneRecord } from './RaceModel.js';
export { type Domain, type ResolvedDomain, type ResolvedSubSpace, resolveSearchSpace, type SearchSpace, type SubSpace } from './resolveSearchSpace.js';
export { type ResolvedTuneOptions, resolveTuneOptions, TUNE_KEYS, type TuneOptions } from './resolveTuneOptions.js';
export { type Candidate, sampleCandidates } from './sampleCandidates.js';
export { type OfflineSearchEntry, type OfflineSearchOptions, type OfflineSearchResult, searchOffline } from './searchOffline.js';
