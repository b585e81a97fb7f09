import { type Batch, type FeatureMatrix, SpecError } from '../core/index.js';
import type { Transform, TransformState } from './Transform.js';
import { transformRegistry } from './transformRegistry.js';
import { type FeatureLayout, Vectorize, type VectorizeState } from './Vectorize.js';

/** Artifact format version; `fromJSON` refuses others. */
const VERSION = 1;

/** The whole preprocessing state as one artifact. */
export interface PipelineState {
  version: number;
  /** Every step in order, vectorize (when present) last. */
  transforms: TransformState[];
  /** The feature layout (name ↔ index), duplicated from vectorize for serving and inspection. */
  layout: FeatureLayout | null;
}

/**
 * Ordered transforms, optionally ending with vectorize. `step` learns and applies each step in
 * turn (each learns from its predecessor's output); once `freeze()`d it only applies, as on
 * validation data or in serving. `toJSON()` is one artifact; `Pipeline.fromJSON` rebuilds every
 * step through the transform registry, so the same input gives byte-identical output.
 */
export class Pipeline {
  readonly transforms: readonly Transform[];
  readonly vectorizer: Vectorize | null;
  frozen = false;

  constructor(steps: ReadonlyArray<Transform | Vectorize>) {
    const vi = steps.findIndex((s) => s instanceof Vectorize);
    if (vi >= 0 && vi !== steps.length - 1) throw new SpecError(`steps[${vi}]`, 'vectorize must be the last step');
    this.vectorizer = vi >= 0 ? (steps[vi] as Vectorize) : null;
    this.transforms = steps.filter((s): s is Transform => !(s instanceof Vectorize));
  }

  /** Stops learning: `step` only applies from now on. */
  freeze(): this {
    this.frozen = true;
    return this;
  }

  get layout(): FeatureLayout | null {
    return this.vectorizer?.layout ?? null;
  }

  /** Learns from (unless frozen) and transforms one batch. */
  step(batch: Batch): Batch | FeatureMatrix {
    return this.frozen ? this.transform(batch) : this.run(batch, true);
  }

  /** Transforms one batch with the current state, learning nothing. */
  transform(batch: Batch): Batch | FeatureMatrix {
    return this.run(batch, false);
  }

  private run(batch: Batch, learn: boolean): Batch | FeatureMatrix {
    let b = batch;
    for (const t of this.transforms) {
      if (learn) t.learn(b);
      b = t.apply(b);
    }
    if (!this.vectorizer) return b;
    if (learn) this.vectorizer.learn(b);
    return this.vectorizer.apply(b);
  }

  toJSON(): PipelineState {
    const transforms = this.transforms.map((t) => t.toJSON());
    if (this.vectorizer) transforms.push(this.vectorizer.toJSON());
    return { version: VERSION, transforms, layout: this.layout ? structuredClone(this.layout) : null };
  }

  static fromJSON(json: PipelineState): Pipeline {
    if (json?.version !== VERSION) throw new SpecError('version', `expected pipeline artifact version ${VERSION}, got ${JSON.stringify(json?.version)}`);
    if (!Array.isArray(json.transforms)) throw new SpecError('transforms', 'expected a list of transform states');
    const steps = json.transforms.map((s, i) =>
      s.kind === 'vectorize' ? Vectorize.fromJSON(s as TransformState<VectorizeState>) : transformRegistry.fromJSON(s, `transforms[${i}]`),
    );
    return new Pipeline(steps);
  }
}
