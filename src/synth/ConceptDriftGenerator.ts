import { OptionReader, SchemaError } from '../core/index.js';
import { generatorFromJSON } from './generatorFromJSON.js';
import { type GeneratedField, RowGenerator } from './RowGenerator.js';
import type { GeneratorState, StreamGenerator } from './StreamGenerator.js';

export interface ConceptDriftOptions {
  /** Row (0-based rowId) at the centre of the change; abrupt drifts switch exactly here. */
  position: number;
  /** Width of the change in rows (default 1000); 1 means an abrupt switch at `position`. */
  width?: number;
  /** Seed of the coin that picks the stream (default 1). */
  seed?: number;
}

/**
 * Concept drift between two streams with the same schema, as MOA's ConceptDriftStream: row t
 * comes from `b` with probability 1/(1 + exp(−4(t − position)/width)), else from `a`. Only the
 * chosen stream advances. t is the 0-based rowId (MOA counts from 1). Width 1 is an exact
 * switch (rows ≥ position from b): the sigmoid alone would still mix a few rows around p.
 * Wrappers nest, so a drift of a drift gives several changes.
 */
export class ConceptDriftGenerator extends RowGenerator {
  readonly kind = 'drift';
  readonly driftPosition: number;
  readonly width: number;
  readonly seed: number;
  private taken = 0;

  constructor(
    readonly a: StreamGenerator,
    readonly b: StreamGenerator,
    options: ConceptDriftOptions,
    path = 'drift',
  ) {
    const o = new OptionReader(path, options as unknown as Record<string, unknown>);
    const position = o.int('position', 0, 0),
      width = o.int('width', 1000, 1),
      seed = o.seed('seed', 1);
    o.done();
    super(ConceptDriftGenerator.sharedFields(a, b), Math.max(a.numClasses, b.numClasses), seed);
    this.driftPosition = position;
    this.width = width;
    this.seed = seed;
  }

  private static sharedFields(a: StreamGenerator, b: StreamGenerator): GeneratedField[] {
    const show = (g: StreamGenerator) => g.schema.fields.map((f) => `${f.name}:${f.type}`).join(', ');
    if (!a.schema.equals(b.schema)) throw new SchemaError(`drift streams must share a schema: ${a.kind} has (${show(a)}), ${b.kind} has (${show(b)})`);
    return a.schema.fields.map((f, i) => {
      if (f.type !== 'number' && f.type !== 'integer' && f.type !== 'boolean' && f.type !== 'category')
        throw new SchemaError(`drift streams cannot carry ${f.type} columns`, f.name);
      const da = a.dictionaries[i],
        db = b.dictionaries[i];
      if (da && db && da.values.join('\u0000') !== db.values.join('\u0000')) {
        throw new SchemaError(`drift streams must share category values: ${a.kind} has ${da.values.join('|')}, ${b.kind} has ${db.values.join('|')}`, f.name);
      }
      return { name: f.name, type: f.type, ...(da ? { values: da.values } : {}) };
    });
  }

  /** The probability that row t comes from b. */
  probability(t: number): number {
    if (this.width === 1) return t >= this.driftPosition ? 1 : 0;
    return 1 / (1 + Math.exp((-4 * (t - this.driftPosition)) / this.width));
  }

  /** Rows taken from b so far (the rest of `position` came from a). */
  get fromB(): number {
    return this.taken;
  }

  protected generate(out: Float64Array): void {
    const p = this.probability(this.pos);
    // The coin is drawn even when abrupt, so the choice sequence depends only on the seed.
    const u = this.rng.float();
    if (u < p) {
      this.b.nextRow(out);
      this.taken++;
    } else this.a.nextRow(out);
  }

  toJSON(): GeneratorState {
    return {
      ...this.baseState(),
      options: { position: this.driftPosition, width: this.width, seed: this.seed },
      a: this.a.toJSON(),
      b: this.b.toJSON(),
      fromB: this.taken,
    };
  }

  static fromJSON(state: GeneratorState): ConceptDriftGenerator {
    const g = new ConceptDriftGenerator(
      generatorFromJSON(state.a as GeneratorState),
      generatorFromJSON(state.b as GeneratorState),
      state.options as ConceptDriftOptions,
    );
    g.restoreBase(state);
    g.taken = Number(state.fromB ?? 0);
    return g;
  }
}
