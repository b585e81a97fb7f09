export { Histogram, type HistogramState } from './Histogram.js';
export { QuantileSketch, type QuantileSketchState } from './QuantileSketch.js';
export { RunningMoments, type RunningMomentsState } from './RunningMoments.js';
export { SpaceSaving, type SpaceSavingState, type TopItem } from './SpaceSaving.js';
