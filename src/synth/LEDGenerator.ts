import { OptionReader } from '../core/index.js';
import { type GeneratedField, RowGenerator } from './RowGenerator.js';
import type { GeneratorState } from './StreamGenerator.js';

export interface LEDOptions {
  /** Probability that each of the 7 segments is flipped (default 0.1, MOA's 10%). */
  noise?: number;
  /** Only the 7 segment attributes, without the 17 random ones (default false). */
  suppressIrrelevant?: boolean;
  seed?: number;
}

/** Segments a..g of the digits 0-9 (MOA's table, from Breiman et al.'s LED problem). */
const SEGMENTS: readonly (readonly number[])[] = [
  [1, 1, 1, 0, 1, 1, 1],
  [0, 0, 1, 0, 0, 1, 0],
  [1, 0, 1, 1, 1, 0, 1],
  [1, 0, 1, 1, 0, 1, 1],
  [0, 1, 1, 1, 0, 1, 0],
  [1, 1, 0, 1, 0, 1, 1],
  [1, 1, 0, 1, 1, 1, 1],
  [1, 0, 1, 0, 0, 1, 0],
  [1, 1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 0, 1, 1],
];
const IRRELEVANT = 17;

/**
 * LED display digits, as MOA's LEDGenerator: class = digit 0-9 (uniform), att1..att7 its
 * segments each flipped with probability `noise`, att8..att24 fair coins. Attributes are
 * `boolean` columns: MOA's nominal {0, 1}, without a dictionary to carry around.
 */
export class LEDGenerator extends RowGenerator {
  readonly kind = 'led';
  readonly noise: number;
  readonly suppressIrrelevant: boolean;
  readonly seed: number;

  constructor(options: LEDOptions = {}, path = 'led') {
    const o = new OptionReader(path, options as Record<string, unknown>);
    const noise = o.number('noise', 0.1, 0, 1),
      suppress = o.bool('suppressIrrelevant', false),
      seed = o.seed('seed', 1);
    o.done();
    const n = suppress ? 7 : 7 + IRRELEVANT;
    const fields: GeneratedField[] = Array.from({ length: n }, (_, i) => ({ name: `att${i + 1}`, type: 'boolean' as const }));
    fields.push({ name: 'class', type: 'integer' });
    super(fields, 10, seed);
    this.noise = noise;
    this.suppressIrrelevant = suppress;
    this.seed = seed;
  }

  protected generate(out: Float64Array): void {
    const digit = this.rng.int(10);
    const seg = SEGMENTS[digit]!;
    for (let i = 0; i < 7; i++) out[i] = this.rng.float() < this.noise ? 1 - seg[i]! : seg[i]!;
    let k = 7;
    if (!this.suppressIrrelevant) for (let i = 0; i < IRRELEVANT; i++) out[k++] = this.rng.int(2);
    out[k] = digit;
  }

  toJSON(): GeneratorState {
    return { ...this.baseState(), options: { noise: this.noise, suppressIrrelevant: this.suppressIrrelevant, seed: this.seed } };
  }

  static fromJSON(state: GeneratorState): LEDGenerator {
    const g = new LEDGenerator(state.options as LEDOptions);
    g.restoreBase(state);
    return g;
  }
}
