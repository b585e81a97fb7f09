export { loadPipeline } from './loadPipeline.js';
export {
  type ArtifactOptions,
  type FeatureBooks,
  type PredictionColumns,
  type PredictOptions,
  SavedPipeline,
  type SavedPipelineFile,
} from './SavedPipeline.js';
