import type { Observable } from 'rxjs';
import { type Batch, fromPull, SpecError, type Telemetry } from '../../core/index.js';
import { makeGenerator, type StreamGenerator } from '../../synth/index.js';

export interface SyntheticOptions {
  /** Rows to emit per subscription (default: unbounded). */
  rows?: number;
  /** Rows per batch (default 1000). */
  batchSize?: number;
  /** Batches in flight before generation waits (default 4). */
  capacity?: number;
  telemetry?: Telemetry;
  /** Source name in telemetry (default: the generator's kind). */
  name?: string;
  /** With a generator name, its options (`function`, `noise`, `seed`, ...). */
  [generatorOption: string]: unknown;
}

const OWN = new Set(['rows', 'batchSize', 'capacity', 'telemetry', 'name']);

/**
 * A synthetic stream as an Observable<Batch>, pull-based with a bounded queue (fromPull).
 * Given a name (`synthetic('sea', { function: 3, seed: 7, rows: 1e5 })`), each subscription
 * gets a fresh generator, so every subscriber sees the same rows. Given a generator instance,
 * subscriptions draw from that instance and advance it, so its `toJSON()` is a checkpoint of
 * where the stream stands and a restored instance continues the stream.
 */
export function synthetic(source: StreamGenerator | string, options: SyntheticOptions = {}): Observable<Batch> {
  const rows = options.rows ?? Infinity;
  if (typeof rows !== 'number' || !(rows === Infinity || (Number.isInteger(rows) && rows >= 0)))
    throw new SpecError('synthetic.rows', `expected a non-negative integer, got ${String(rows)}`);
  const batchSize = options.batchSize ?? 1000;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000_000)
    throw new SpecError('synthetic.batchSize', `expected an integer in 1..10000000, got ${String(batchSize)}`);
  const capacity = options.capacity ?? 4;
  if (typeof capacity !== 'number' || !Number.isInteger(capacity) || capacity < 1)
    throw new SpecError('synthetic.capacity', `expected a positive integer, got ${String(capacity)}`);
  const genOptions = Object.fromEntries(Object.entries(options).filter(([k]) => !OWN.has(k)));
  let make: () => StreamGenerator;
  let kind: string;
  if (typeof source === 'string') {
    kind = makeGenerator(source, genOptions).kind; // validates the options now, at creation
    make = () => makeGenerator(source, genOptions);
  } else {
    const extra = Object.keys(genOptions);
    if (extra.length > 0)
      throw new SpecError(`synthetic.${extra[0]}`, "generator options go to the generator's constructor, not to synthetic() with an instance");
    kind = source.kind;
    make = () => source;
  }
  return fromPull((signal) => generate(make(), rows, batchSize, signal), {
    name: options.name ?? kind,
    capacity,
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    ...(Number.isFinite(rows) ? { totalRows: rows } : {}),
  });
}

async function* generate(g: StreamGenerator, rows: number, batchSize: number, signal: AbortSignal): AsyncGenerator<{ batch: Batch }> {
  let left = rows;
  while (left > 0 && !signal.aborted) {
    const n = Math.min(batchSize, left);
    left -= n;
    yield { batch: g.next(n) };
    // Generation is synchronous: without a macrotask turn a fast consumer would keep the
    // loop on microtasks forever, starving timers, I/O and signal handlers (Ctrl-C).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
