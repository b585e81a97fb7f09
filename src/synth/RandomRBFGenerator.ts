import { OptionReader, Rng } from '../core/index.js';
import { type GeneratedField, RowGenerator } from './RowGenerator.js';
import type { GeneratorState } from './StreamGenerator.js';

export interface RandomRBFOptions {
  numClasses?: number;
  /** Attributes att1..attD (default 10). */
  numAttributes?: number;
  /** Gaussian centroids in the model (default 50). */
  numCentroids?: number;
  /** Distance each drifting centroid moves per example (default 0: static, as MOA). */
  speedChange?: number;
  /** How many centroids (the first k) move (default 50, capped at numCentroids). */
  numDriftCentroids?: number;
  /** Seed of the examples (default 1). */
  seed?: number;
  /** Seed of the centroids: centres, labels, spreads, weights, directions (default: `seed`). */
  modelSeed?: number;
}

/**
 * Random radial basis functions with moving centroids, as MOA's RandomRBFGeneratorDrift.
 * Each centroid has a centre in [0, 1)^d, a class, a spread and a weight; an example picks a
 * centroid by weight and lies at a random direction from its centre, at a distance drawn from
 * N(0, spread). Before each example the first `numDriftCentroids` centres move by
 * speedChange along a unit direction, bouncing off the unit cube's walls.
 */
export class RandomRBFGenerator extends RowGenerator {
  readonly kind = 'rbf';
  readonly numAttributes: number;
  readonly numCentroids: number;
  readonly speedChange: number;
  readonly numDriftCentroids: number;
  readonly seed: number;
  readonly modelSeed: number;
  /** Centroid i's centre is centres[i*d .. i*d+d). */
  private centres: Float64Array;
  private speeds: Float64Array;
  private readonly labels: Int32Array;
  private readonly spreads: Float64Array;
  private readonly weights: Float64Array;
  private readonly totalWeight: number;
  private readonly direction: Float64Array;

  constructor(options: RandomRBFOptions = {}, path = 'rbf') {
    const o = new OptionReader(path, options as Record<string, unknown>);
    const k = o.int('numClasses', 2, 2, 1_000_000),
      d = o.int('numAttributes', 10, 1, 100_000),
      c = o.int('numCentroids', 50, 1, 1_000_000);
    const speed = o.number('speedChange', 0, 0),
      drift = Math.min(o.int('numDriftCentroids', 50, 0), c);
    const seed = o.seed('seed', 1),
      modelSeed = o.seed('modelSeed', seed);
    o.done();
    const fields: GeneratedField[] = Array.from({ length: d }, (_, i) => ({ name: `att${i + 1}`, type: 'number' as const }));
    fields.push({ name: 'class', type: 'integer' });
    super(fields, k, seed);
    this.numAttributes = d;
    this.numCentroids = c;
    this.speedChange = speed;
    this.numDriftCentroids = drift;
    this.seed = seed;
    this.modelSeed = modelSeed;
    const model = new Rng(modelSeed);
    this.centres = new Float64Array(c * d);
    this.labels = new Int32Array(c);
    this.spreads = new Float64Array(c);
    this.weights = new Float64Array(c);
    let total = 0;
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < d; j++) this.centres[i * d + j] = model.float();
      this.labels[i] = model.int(k);
      this.spreads[i] = model.float();
      this.weights[i] = model.float();
      total += this.weights[i]!;
    }
    this.totalWeight = total;
    // MOA re-seeds a fresh Random(modelSeed) for the directions, which makes centroid 0's
    // direction its own normalised centre; continuing the model stream avoids that coupling.
    this.speeds = new Float64Array(drift * d);
    for (let i = 0; i < drift; i++) {
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const v = model.float();
        this.speeds[i * d + j] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < d; j++) this.speeds[i * d + j] = this.speeds[i * d + j]! / norm;
    }
    this.direction = new Float64Array(d);
  }

  /** A copy of centroid i's current centre. */
  centre(i: number): Float64Array {
    return this.centres.slice(i * this.numAttributes, (i + 1) * this.numAttributes);
  }

  /** Centroid i's class, spread (std of the distance from its centre) and weight. */
  centroid(i: number): { centre: Float64Array; label: number; spread: number; weight: number } {
    return { centre: this.centre(i), label: this.labels[i]!, spread: this.spreads[i]!, weight: this.weights[i]! };
  }

  protected generate(out: Float64Array): void {
    const d = this.numAttributes,
      cs = this.centres,
      sp = this.speeds,
      v = this.speedChange;
    if (v > 0) {
      for (let i = 0; i < this.numDriftCentroids; i++) {
        for (let j = 0; j < d; j++) {
          const q = i * d + j;
          let x = cs[q]! + sp[q]! * v;
          if (x > 1) {
            x = 1;
            sp[q] = -sp[q]!;
          }
          if (x < 0) {
            x = 0;
            sp[q] = -sp[q]!;
          }
          cs[q] = x;
        }
      }
    }
    // Centroid chosen by weight, as MOA's chooseRandomIndexBasedOnWeights.
    const target = this.rng.float() * this.totalWeight;
    let idx = 0,
      acc = 0;
    while (acc <= target && idx < this.numCentroids) acc += this.weights[idx++]!;
    idx -= 1;
    const dir = this.direction;
    let mag = 0;
    for (let j = 0; j < d; j++) {
      const a = this.rng.float() * 2 - 1;
      dir[j] = a;
      mag += a * a;
    }
    mag = Math.sqrt(mag) || 1;
    const scale = (this.rng.normal() * this.spreads[idx]!) / mag;
    for (let j = 0; j < d; j++) out[j] = cs[idx * d + j]! + dir[j]! * scale;
    out[d] = this.labels[idx]!;
  }

  toJSON(): GeneratorState {
    return {
      ...this.baseState(),
      options: {
        numClasses: this.numClasses,
        numAttributes: this.numAttributes,
        numCentroids: this.numCentroids,
        speedChange: this.speedChange,
        numDriftCentroids: this.numDriftCentroids,
        seed: this.seed,
        modelSeed: this.modelSeed,
      },
      // Only the moving parts: labels, spreads and weights are rebuilt from modelSeed.
      centres: Array.from(this.centres),
      speeds: Array.from(this.speeds),
    };
  }

  static fromJSON(state: GeneratorState): RandomRBFGenerator {
    const g = new RandomRBFGenerator(state.options as RandomRBFOptions);
    g.restoreBase(state);
    g.centres = Float64Array.from(state.centres as number[]);
    g.speeds = Float64Array.from(state.speeds as number[]);
    return g;
  }
}
