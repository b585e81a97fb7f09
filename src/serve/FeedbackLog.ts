import { SpecError } from '../core/index.js';

/** A prediction waiting for its label: the row's model columns as sent, and what the model answered. */
export interface LoggedPrediction<M> {
  /** Who predicted it (a served model): its prediction is scored only into that model's metrics. */
  by: M;
  /** The row's values of the model's columns (checked when it was predicted). */
  input: Record<string, unknown>;
  /** The model's output for the row (P(y=1), the class probabilities, or the value). */
  prediction: Float32Array;
}

interface Entry<M> {
  at: number;
  /** Null once its label came: kept (a tombstone) so a second label is told from an unknown id. */
  logged: LoggedPrediction<M> | null;
}

export interface FeedbackLogOptions {
  /** Most ids kept (default 100,000); the oldest goes first. */
  maxIds?: number;
  /** Longest an id is kept, in ms (default one hour). */
  maxAgeMs?: number;
  /** Clock in ms (default performance.now: monotonic). */
  now?: () => number;
}

/** What a label's id finds: its logged prediction, nothing (never logged, evicted or expired), or a label already given. */
export type Lookup<M> = { found: LoggedPrediction<M> } | { unknown: true } | { duplicate: true };

/**
 * Predictions logged by id for their late labels (POST /feedback), bounded by count and by age: an
 * id older than `maxAgeMs`, or beyond the newest `maxIds`, is forgotten. Ids are kept in the order
 * they were last predicted; predicting an id again replaces its entry and makes it the newest. A
 * label marks its id answered: the row is dropped but the id is kept until it ages out or is pushed
 * out, so a second label for it is told apart (a duplicate) from a label for an unknown id. Ids are
 * strings; a number id is its decimal text (1 and "1" are one id).
 */
export class FeedbackLog<M> {
  readonly maxIds: number;
  readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry<M>>();

  constructor(options: FeedbackLogOptions = {}) {
    const maxIds = options.maxIds ?? 100_000;
    if (!Number.isSafeInteger(maxIds) || maxIds < 1) throw new SpecError('feedback.maxIds', `expected an integer ≥ 1, got ${String(maxIds)}`);
    const maxAgeMs = options.maxAgeMs ?? 3_600_000;
    if (!(typeof maxAgeMs === 'number' && maxAgeMs > 0)) throw new SpecError('feedback.maxAgeMs', `expected a number of ms > 0, got ${String(maxAgeMs)}`);
    this.maxIds = maxIds;
    this.maxAgeMs = maxAgeMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Ids kept now (answered ones included), after forgetting the expired ones. */
  get size(): number {
    this.expire(this.now());
    return this.entries.size;
  }

  /** Logs a row's prediction under `id` (replacing what the id had), forgetting the oldest beyond maxIds. */
  log(id: string, logged: LoggedPrediction<M>): void {
    const t = this.now();
    this.entries.delete(id);
    this.entries.set(id, { at: t, logged });
    if (this.entries.size > this.maxIds) {
      const keys = this.entries.keys();
      for (let k = this.entries.size - this.maxIds; k > 0; k--) this.entries.delete(keys.next().value as string);
    }
    this.expire(t);
  }

  /** What a label for `id` finds; changes nothing (see `answer`). */
  lookup(id: string): Lookup<M> {
    this.expire(this.now());
    const e = this.entries.get(id);
    if (e === undefined) return { unknown: true };
    return e.logged === null ? { duplicate: true } : { found: e.logged };
  }

  /** Marks `id` answered: its row is dropped, its id kept (a later label is a duplicate). */
  answer(id: string): void {
    const e = this.entries.get(id);
    if (e) e.logged = null;
  }

  private expire(t: number): void {
    const oldest = t - this.maxAgeMs;
    for (const [id, e] of this.entries) {
      if (e.at > oldest) break;
      this.entries.delete(id);
    }
  }
}
