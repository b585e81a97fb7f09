/**
 * Trees and forests: Hoeffding trees (VFDT) for classification and regression, the Hoeffding
 * Adaptive Tree, the Adaptive Random Forest and a random forest for finite data. This room sits
 * beside drift (it takes ADWIN from there); no RxJS.
 */
export {
  AdaptiveRandomForestClassifier,
  type AdaptiveRandomForestClassifierOptions,
  type AdaptiveRandomForestClassifierState,
} from './AdaptiveRandomForestClassifier.js';
export {
  AdaptiveRandomForestRegressor,
  type AdaptiveRandomForestRegressorOptions,
  type AdaptiveRandomForestRegressorState,
} from './AdaptiveRandomForestRegressor.js';
export type { ArfSummary } from './ArfForest.js';
export type { ArfCommonOptions } from './arfConfig.js';
export {
  HoeffdingAdaptiveTreeClassifier,
  type HoeffdingAdaptiveTreeClassifierOptions,
  type HoeffdingAdaptiveTreeClassifierState,
  type HoeffdingAdaptiveTreeSummary,
} from './HoeffdingAdaptiveTreeClassifier.js';
export {
  HoeffdingTreeClassifier,
  type HoeffdingTreeClassifierOptions,
  type HoeffdingTreeClassifierState,
  type TreeSummary,
} from './HoeffdingTreeClassifier.js';
export {
  HoeffdingTreeRegressor,
  type HoeffdingTreeRegressorOptions,
  type HoeffdingTreeRegressorState,
  type RegressionTreeSummary,
} from './HoeffdingTreeRegressor.js';
export { RandomForest, type RandomForestOptions, type RandomForestState } from './RandomForest.js';
export { registerTreeModels } from './registerTreeModels.js';
export { TreeModel } from './TreeModel.js';
export type { TreeRow } from './TreeRow.js';
export { TreeRows } from './TreeRows.js';

import { registerTreeModels } from './registerTreeModels.js';

// Loading this room lets learn's createModel and modelFromState build the tree kinds.
registerTreeModels();
