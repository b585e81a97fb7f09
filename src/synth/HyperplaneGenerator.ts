import { OptionReader } from '../core/index.js';
import { type GeneratedField, RowGenerator } from './RowGenerator.js';
import type { GeneratorState } from './StreamGenerator.js';

export interface HyperplaneOptions {
  /** Attributes att1..attD, uniform in [0, 1) (default 10). */
  numAttributes?: number;
  /** How many weights (the first k) drift (default 2). */
  numDriftAttributes?: number;
  /** Weight change per example on each drifting attribute (default 0: no drift, as MOA). */
  magChange?: number;
  /** Fraction of labels flipped (default 0.05, MOA's 5%). */
  noise?: number;
  /** Probability, per example and drifting attribute, that its direction reverses (default 0.1). */
  sigma?: number;
  seed?: number;
}

/**
 * Rotating hyperplane (Hulten, Spencer & Domingos 2001), as MOA's HyperplaneGenerator:
 * class 1 when Σ wᵢxᵢ ≥ ½ Σ wᵢ. Initial weights uniform in [0, 1). After each example the first
 * `numDriftAttributes` weights move by ±magChange, each reversing direction with probability
 * sigma. MOA does not bound the weights, and neither does this.
 */
export class HyperplaneGenerator extends RowGenerator {
  readonly kind = 'hyperplane';
  readonly numAttributes: number;
  readonly numDriftAttributes: number;
  readonly magChange: number;
  readonly noise: number;
  readonly sigma: number;
  readonly seed: number;
  private weights: Float64Array;
  private directions: Int8Array;

  constructor(options: HyperplaneOptions = {}, path = 'hyperplane') {
    const o = new OptionReader(path, options as Record<string, unknown>);
    const d = o.int('numAttributes', 10, 1, 100_000);
    const k = o.int('numDriftAttributes', Math.min(2, d), 0, d);
    const mag = o.number('magChange', 0, 0, 1),
      noise = o.number('noise', 0.05, 0, 1),
      sigma = o.number('sigma', 0.1, 0, 1),
      seed = o.seed('seed', 1);
    o.done();
    const fields: GeneratedField[] = Array.from({ length: d }, (_, i) => ({ name: `att${i + 1}`, type: 'number' as const }));
    fields.push({ name: 'class', type: 'integer' });
    super(fields, 2, seed);
    this.numAttributes = d;
    this.numDriftAttributes = k;
    this.magChange = mag;
    this.noise = noise;
    this.sigma = sigma;
    this.seed = seed;
    this.weights = new Float64Array(d);
    this.directions = new Int8Array(d);
    for (let i = 0; i < d; i++) {
      this.weights[i] = this.rng.float();
      this.directions[i] = i < k ? 1 : 0;
    }
  }

  /** A copy of the current weights (they rotate as rows are drawn). */
  get currentWeights(): Float64Array {
    return this.weights.slice();
  }

  protected generate(out: Float64Array): void {
    const d = this.numAttributes,
      w = this.weights;
    let sum = 0,
      sumW = 0;
    for (let i = 0; i < d; i++) {
      const x = this.rng.float();
      out[i] = x;
      sum += w[i]! * x;
      sumW += w[i]!;
    }
    let label = sum >= 0.5 * sumW ? 1 : 0;
    if (this.rng.float() < this.noise) label = 1 - label;
    out[d] = label;
    for (let i = 0; i < this.numDriftAttributes; i++) {
      w[i] = w[i]! + this.directions[i]! * this.magChange;
      if (this.rng.float() < this.sigma) this.directions[i] = -this.directions[i]! as -1 | 1;
    }
  }

  toJSON(): GeneratorState {
    return {
      ...this.baseState(),
      options: {
        numAttributes: this.numAttributes,
        numDriftAttributes: this.numDriftAttributes,
        magChange: this.magChange,
        noise: this.noise,
        sigma: this.sigma,
        seed: this.seed,
      },
      weights: Array.from(this.weights),
      directions: Array.from(this.directions),
    };
  }

  static fromJSON(state: GeneratorState): HyperplaneGenerator {
    const g = new HyperplaneGenerator(state.options as HyperplaneOptions);
    g.restoreBase(state);
    g.weights = Float64Array.from(state.weights as number[]);
    g.directions = Int8Array.from(state.directions as number[]);
    return g;
  }
}
