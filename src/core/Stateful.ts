/**
 * The contract of every stateful piece (transforms, models, optimizers, metrics, detectors):
 * its whole state is JSON, and a static `fromJSON` restores an equivalent object.
 */
export interface Stateful<S = unknown> {
  toJSON(): S;
}
