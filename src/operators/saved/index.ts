export { loadPipeline } from './loadPipeline.js';
export { type PredictionColumns, type PredictOptions, SavedPipeline, type SavedPipelineFile } from './SavedPipeline.js';
