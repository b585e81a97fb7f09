import { OptionReader } from '../core/index.js';
import { RowGenerator } from './RowGenerator.js';
import type { GeneratorState } from './StreamGenerator.js';

export interface SEAOptions {
  /** Concept 1..4: class 1 when attrib1 + attrib2 > θ, θ = 8, 9, 7, 9.5 (default 1). */
  function?: number;
  /** Fraction of labels flipped (default 0.1, MOA's 10%). */
  noise?: number;
  /** Alternate the classes 1, 0, 1, ... by rejection (default false). */
  balance?: boolean;
  /** Default 1, like MOA's instanceRandomSeed. */
  seed?: number;
}

const THRESHOLDS = [8, 9, 7, 9.5] as const;

/**
 * SEA concepts (Street & Kim, KDD 2001), as MOA's SEAGenerator: attrib1..3 uniform in [0, 10),
 * class 0 when attrib1 + attrib2 ≤ θ, else 1; attrib3 is irrelevant.
 */
export class SEAGenerator extends RowGenerator {
  readonly kind = 'sea';
  readonly function: number;
  readonly noise: number;
  readonly balance: boolean;
  readonly seed: number;
  private nextClassShouldBeZero = false;

  constructor(options: SEAOptions = {}, path = 'sea') {
    const o = new OptionReader(path, options as Record<string, unknown>);
    const fn = o.int('function', 1, 1, 4),
      noise = o.number('noise', 0.1, 0, 1),
      balance = o.bool('balance', false),
      seed = o.seed('seed', 1);
    o.done();
    super(
      [
        { name: 'attrib1', type: 'number' },
        { name: 'attrib2', type: 'number' },
        { name: 'attrib3', type: 'number' },
        { name: 'class', type: 'integer' },
      ],
      2,
      seed,
    );
    this.function = fn;
    this.noise = noise;
    this.balance = balance;
    this.seed = seed;
  }

  protected generate(out: Float64Array): void {
    const theta = THRESHOLDS[this.function - 1]!;
    let a1 = 0,
      a2 = 0,
      a3 = 0,
      group = 0;
    for (;;) {
      a1 = 10 * this.rng.float();
      a2 = 10 * this.rng.float();
      a3 = 10 * this.rng.float();
      group = a1 + a2 <= theta ? 0 : 1;
      if (!this.balance) break;
      if ((this.nextClassShouldBeZero && group === 0) || (!this.nextClassShouldBeZero && group === 1)) {
        this.nextClassShouldBeZero = !this.nextClassShouldBeZero;
        break;
      }
    }
    // Drawn on every row, so a stream with noise 0 has the same attributes as one with noise.
    if (this.rng.float() < this.noise) group = 1 - group;
    out[0] = a1;
    out[1] = a2;
    out[2] = a3;
    out[3] = group;
  }

  toJSON(): GeneratorState {
    return {
      ...this.baseState(),
      options: { function: this.function, noise: this.noise, balance: this.balance, seed: this.seed },
      nextClassShouldBeZero: this.nextClassShouldBeZero,
    };
  }

  static fromJSON(state: GeneratorState): SEAGenerator {
    const g = new SEAGenerator(state.options as SEAOptions);
    g.restoreBase(state);
    g.nextClassShouldBeZero = Boolean(state.nextClassShouldBeZero);
    return g;
  }
}
