/**
 * Hyperparameter tuning (to come): search spaces, many candidates trained side by side on one
 * stream and raced online (successive halving), and candidates of one shape batched into one
 * kernel dispatch. No RxJS: an operator in operators/ wraps them.
 */
export {};
