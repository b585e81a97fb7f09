import { BACKEND_NAMES } from './BACKEND_NAMES.js';

/**
 * What createBackend, a model's `backend` option, the spec's `training.backend` and `--backend`
 * take: a backend, or `auto` (a hardware GPU when there is one, else the CPU).
 */
export const BACKEND_CHOICES = ['auto', ...BACKEND_NAMES] as const;

export type BackendChoice = (typeof BACKEND_CHOICES)[number];
