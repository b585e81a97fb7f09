import { OptionReader } from '../core/index.js';
import { RowGenerator } from './RowGenerator.js';
import type { GeneratorState } from './StreamGenerator.js';

export interface STAGGEROptions {
  /**
   * Concept 1..3 (default 1): 1 size = small ∧ color = red; 2 color = green ∨ shape = circle;
   * 3 size = medium ∨ size = large.
   */
  function?: number;
  /** Alternate the classes 1, 0, 1, ... by rejection (default false). */
  balance?: boolean;
  seed?: number;
}

/**
 * STAGGER concepts (Schlimmer & Granger 1986), as MOA's STAGGERGenerator: size, color and shape
 * uniform over three values each; class 1 when the concept holds. No label noise, as in MOA.
 */
export class STAGGERGenerator extends RowGenerator {
  readonly kind = 'stagger';
  readonly function: number;
  readonly balance: boolean;
  readonly seed: number;
  private nextClassShouldBeZero = false;

  constructor(options: STAGGEROptions = {}, path = 'stagger') {
    const o = new OptionReader(path, options as Record<string, unknown>);
    const fn = o.int('function', 1, 1, 3),
      balance = o.bool('balance', false),
      seed = o.seed('seed', 1);
    o.done();
    super(
      [
        { name: 'size', type: 'category', values: ['small', 'medium', 'large'] },
        { name: 'color', type: 'category', values: ['red', 'blue', 'green'] },
        { name: 'shape', type: 'category', values: ['circle', 'square', 'triangle'] },
        { name: 'class', type: 'integer' },
      ],
      2,
      seed,
    );
    this.function = fn;
    this.balance = balance;
    this.seed = seed;
  }

  protected generate(out: Float64Array): void {
    let size = 0,
      color = 0,
      shape = 0,
      group = 0;
    for (;;) {
      size = this.rng.int(3);
      color = this.rng.int(3);
      shape = this.rng.int(3);
      group =
        this.function === 1
          ? size === 0 && color === 0
            ? 1
            : 0
          : this.function === 2
            ? color === 2 || shape === 0
              ? 1
              : 0
            : size === 1 || size === 2
              ? 1
              : 0;
      if (!this.balance) break;
      if ((this.nextClassShouldBeZero && group === 0) || (!this.nextClassShouldBeZero && group === 1)) {
        this.nextClassShouldBeZero = !this.nextClassShouldBeZero;
        break;
      }
    }
    out[0] = size;
    out[1] = color;
    out[2] = shape;
    out[3] = group;
  }

  toJSON(): GeneratorState {
    return {
      ...this.baseState(),
      options: { function: this.function, balance: this.balance, seed: this.seed },
      nextClassShouldBeZero: this.nextClassShouldBeZero,
    };
  }

  static fromJSON(state: GeneratorState): STAGGERGenerator {
    const g = new STAGGERGenerator(state.options as STAGGEROptions);
    g.restoreBase(state);
    g.nextClassShouldBeZero = Boolean(state.nextClassShouldBeZero);
    return g;
  }
}
