import { Writable } from 'node:stream';
import { Batch, Schema } from '../../../src/core/index.js';

/** A writable that keeps what it is given; `hold` keeps each write's callback until `release` (a slow disk or a full pipe). */
export class Capture extends Writable {
  readonly chunks: Buffer[] = [];
  hold = false;
  private held: Array<() => void> = [];

  constructor(highWaterMark = 16 * 1024) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.hold) this.held.push(() => cb());
    else cb();
  }

  release(): void {
    this.hold = false;
    const held = this.held;
    this.held = [];
    for (const cb of held) cb();
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.bytes.toString('utf8');
  }
}

/** Whether `p` has settled after the pending I/O callbacks and microtasks have run. */
export async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  return done;
}

export const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);

export const SCHEMA = Schema.from({ name: 'category', n: 'number', i: 'integer', b: 'boolean', t: 'datetime', s: 'text' });

/** Missing values in every column, NaN and ±Infinity, strings that need quoting (delimiter, quotes, line breaks, edge spaces), an empty string. */
export function mixedBatch(): Batch {
  return Batch.fromRows(
    [
      { name: 'plain', n: 1.5, i: 3, b: true, t: T0, s: 'a,b' },
      { name: null, n: Number.NaN, i: null, b: false, t: null, s: 'say "hi"' },
      { name: ' pad', n: Number.POSITIVE_INFINITY, i: -7, b: null, t: 0, s: 'line\nbreak' },
      { name: 'x', n: 0.1 + 0.2, i: 2147483647, b: true, t: -1, s: 'cr\rhere' },
      { name: 'tail ', n: -0.000001, i: 0, b: false, t: T0, s: '' },
      { name: 'δέλτα', n: 1e21, i: -2147483648, b: true, t: T0, s: null },
    ],
    SCHEMA,
  );
}
