/** The names `makeGenerator` (and so spec files and the CLI) accept. */
export const GENERATOR_NAMES = ['sea', 'hyperplane', 'agrawal', 'rbf', 'led', 'stagger', 'drift'] as const;
