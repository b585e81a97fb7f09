/**
 * Streams for bench/trees.ts: the synthetic streams of Gomes et al. 2017 ("Adaptive random forests
 * for evolving data stream classification", Machine Learning 106), recreated from the authors' MOA
 * configurations (SYNTHETIC_STREAMS.txt of github.com/hmgomes/AdaptiveRandomForest). Batches become
 * FeatureMatrix through ./toMatrix.ts.
 */
import {
  AgrawalGenerator,
  ConceptDriftGenerator,
  type GeneratorState,
  HyperplaneGenerator,
  LEDGenerator,
  RandomRBFGenerator,
  RowGenerator,
  SEAGenerator,
  type StreamGenerator,
} from '../../src/synth/index.js';

/**
 * MOA's LEDGeneratorDrift: the LED stream with its first `drift` segments swapped with the
 * irrelevant attributes 8.. (segment i is written at attribute 7 + i and irrelevant attribute 7 + i
 * at i, MOA's numberAttribute permutation), so a change of `drift` moves the relevant attributes.
 */
export class LEDDriftGenerator extends RowGenerator {
  readonly kind = 'led-drift';
  private readonly inner: LEDGenerator;

  constructor(
    readonly drift: number,
    seed = 1,
  ) {
    const inner = new LEDGenerator({ seed });
    super(
      inner.schema.fields.map((f) => ({ name: f.name, type: f.type as 'boolean' | 'integer' })),
      10,
      seed,
    );
    this.inner = inner;
  }

  protected generate(out: Float64Array): void {
    this.inner.nextRow(out);
    for (let i = 0; i < this.drift; i++) {
      const t = out[i]!;
      out[i] = out[7 + i]!;
      out[7 + i] = t;
    }
  }

  toJSON(): GeneratorState {
    return { ...this.baseState(), drift: this.drift, inner: this.inner.toJSON() };
  }
}

/** MOA's nesting `ConceptDriftStream -s c0 -d (ConceptDriftStream -s c1 -d (... c3) -p P -w W) -p P -w W`: each inner stream counts its own rows, so the changes fall at P, 2P, 3P. */
export function moaChain(concepts: StreamGenerator[], position: number, width: number): StreamGenerator {
  let g = concepts[concepts.length - 1]!;
  for (let k = concepts.length - 2; k >= 0; k--) g = new ConceptDriftGenerator(concepts[k]!, g, { position, width });
  return g;
}

export interface PaperStream {
  /** Bench name (the paper's, lower case, `_` as `-`). */
  name: string;
  classes: number;
  /** The recipe, for the note. */
  recipe: string;
  make(rows: number): StreamGenerator;
}

/**
 * The paper's synthetic streams (RTG left out: there is no random tree generator here). Positions
 * scale with the stream: the paper's 1M rows have changes at 250k, 500k, 750k, width 50 (abrupt)
 * or 50k (gradual); with fewer rows they stay at quarters and the gradual width stays 5 % of the stream.
 */
export const PAPER_STREAMS: readonly PaperStream[] = [
  ...(['a', 'g'] as const).flatMap((v) => {
    const w = (rows: number) => (v === 'a' ? 50 : rows / 20);
    const kind = v === 'a' ? 'abrupt (width 50)' : 'gradual (width 5 % of the stream: 50k of 1M)';
    return [
      {
        name: `led-${v}`,
        classes: 10,
        recipe: `LED with 1, 3, 5, 7 drifting attributes (MOA's LEDGeneratorDrift: segments swapped with irrelevant attributes), 10 % noise, ${kind} changes at 25/50/75 %`,
        make: (rows: number) =>
          moaChain(
            [1, 3, 5, 7].map((d) => new LEDDriftGenerator(d)),
            rows / 4,
            w(rows),
          ),
      },
      {
        name: `sea-${v}`,
        classes: 2,
        recipe: `SEA functions 1 → 2 → 1 → 4 (the authors' MOA line gives the third concept no -f: the default 1), 10 % noise, ${kind} changes at 25/50/75 %`,
        make: (rows: number) =>
          moaChain(
            [1, 2, 1, 4].map((f) => new SEAGenerator({ function: f })),
            rows / 4,
            w(rows),
          ),
      },
      {
        name: `agr-${v}`,
        classes: 2,
        recipe: `Agrawal functions 1 → 2 → 1 → 4 (third concept MOA's default function 1, as the authors' line), perturbation 0.05, ${kind} changes at 25/50/75 %; categories one-hot`,
        make: (rows: number) =>
          moaChain(
            [1, 2, 1, 4].map((f) => new AgrawalGenerator({ function: f })),
            rows / 4,
            w(rows),
          ),
      },
    ];
  }),
  {
    name: 'rbf-m',
    classes: 5,
    recipe: 'RandomRBFGeneratorDrift -c 5 -s 0.0001: 5 classes, 10 attributes, 50 centroids all moving at 0.0001 per row',
    make: () => new RandomRBFGenerator({ numClasses: 5, speedChange: 0.0001 }),
  },
  {
    name: 'rbf-f',
    classes: 5,
    recipe: 'RandomRBFGeneratorDrift -c 5 -s 0.001: 5 classes, 10 attributes, 50 centroids all moving at 0.001 per row',
    make: () => new RandomRBFGenerator({ numClasses: 5, speedChange: 0.001 }),
  },
  {
    name: 'hyper',
    classes: 2,
    recipe: 'HyperplaneGenerator -k 10 -t 0.001: 10 attributes all drifting by 0.001 per row, 5 % noise, sigma 0.1',
    make: () => new HyperplaneGenerator({ numAttributes: 10, numDriftAttributes: 10, magChange: 0.001 }),
  },
];
