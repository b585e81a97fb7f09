/**
 * The optimizers every backend runs on the device (Backend.optimizerStep). The one list that the
 * models' options, the spec and the `--optimizer` flag build on (learn adds FTRL, which keeps its
 * per-coordinate state on the host).
 */
export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'] as const;

export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];
