import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SchemaError } from '../../src/core/index.js';
import { ConceptDriftGenerator, type GeneratorState, generatorFromJSON, RowGenerator, SEAGenerator, STAGGERGenerator } from '../../src/synth/index.js';
import { nums, snapshot, tolerance } from './util.js';

/** Emits its tag and its own row counter, so each output row shows where it came from. */
class Tagged extends RowGenerator {
  readonly kind = 'tagged';
  constructor(readonly tag: number) {
    super(
      [
        { name: 'source', type: 'integer' },
        { name: 'n', type: 'number' },
        { name: 'class', type: 'integer' },
      ],
      2,
      tag,
    );
  }
  protected generate(out: Float64Array): void {
    out[0] = this.tag;
    out[1] = this.pos;
    out[2] = 0;
  }
  toJSON(): GeneratorState {
    return { ...this.baseState(), tag: this.tag };
  }
}

const sigmoid = (t: number, p: number, w: number) => 1 / (1 + Math.exp((-4 * (t - p)) / w));

test('streams must share a schema and category values', () => {
  assert.throws(
    () => new ConceptDriftGenerator(new SEAGenerator(), new STAGGERGenerator(), { position: 10 }),
    (e: unknown) => e instanceof SchemaError && /share a schema/.test((e as Error).message),
  );
  // Same column names and types as STAGGER, but another set of sizes.
  class OtherSizes extends RowGenerator {
    readonly kind = 'sizes';
    constructor() {
      super(
        [
          { name: 'size', type: 'category', values: ['small', 'medium', 'huge'] },
          { name: 'color', type: 'category', values: ['red', 'blue', 'green'] },
          { name: 'shape', type: 'category', values: ['circle', 'square', 'triangle'] },
          { name: 'class', type: 'integer' },
        ],
        2,
        1,
      );
    }
    protected generate(out: Float64Array): void {
      out.fill(0);
    }
    toJSON(): GeneratorState {
      return this.baseState();
    }
  }
  assert.throws(
    () => new ConceptDriftGenerator(new STAGGERGenerator(), new OtherSizes(), { position: 10 }),
    (e: unknown) => e instanceof SchemaError && /"size".*small\|medium\|huge/.test((e as Error).message),
  );
  assert.throws(() => new ConceptDriftGenerator(new SEAGenerator(), new SEAGenerator(), { position: -1 }), /drift\.position/);
  assert.throws(() => new ConceptDriftGenerator(new SEAGenerator(), new SEAGenerator(), { position: 5, width: 0 }), /drift\.width/);
});

test('width 1 switches exactly at position, and only the chosen stream advances', () => {
  const a = new Tagged(0),
    b = new Tagged(1);
  const d = new ConceptDriftGenerator(a, b, { position: 1234, width: 1 });
  const batch = d.next(3000);
  const src = nums(batch, 'source'),
    n = nums(batch, 'n');
  for (let t = 0; t < 3000; t++) {
    assert.is(src[t], t < 1234 ? 0 : 1, `row ${t}`);
    assert.is(n[t], t < 1234 ? t : t - 1234, `row ${t} is not the next row of its stream`);
  }
  assert.is(a.position, 1234);
  assert.is(b.position, 3000 - 1234);
  assert.is(d.fromB, 3000 - 1234);
  assert.equal(Array.from(batch.rowIds.slice(1233, 1236)), [1233, 1234, 1235]);
});

test('gradual drift: the share of stream b follows the sigmoid at several positions', () => {
  const p = 40_000,
    w = 20_000,
    win = 4000;
  const d = new ConceptDriftGenerator(new Tagged(0), new Tagged(1), { position: p, width: w, seed: 17 });
  const src = nums(d.next(80_000), 'source');
  for (const centre of [10_000, 25_000, 35_000, 40_000, 45_000, 55_000, 70_000]) {
    let fromB = 0,
      expected = 0;
    for (let t = centre - win / 2; t < centre + win / 2; t++) {
      fromB += src[t]!;
      expected += sigmoid(t, p, w);
    }
    const share = fromB / win,
      want = expected / win;
    assert.ok(Math.abs(share - want) < tolerance(want, win), `around row ${centre}: share of b ${share}, sigmoid ${want}`);
  }
  assert.is(d.probability(p), 0.5);
});

test('labels in a SEA drift follow the concept of the stream each row came from', () => {
  // Rows with 7 < x1 + x2 ≤ 8 are class 0 under SEA function 1 and class 1 under function 3.
  const d = new ConceptDriftGenerator(new SEAGenerator({ function: 1, noise: 0 }), new SEAGenerator({ function: 3, noise: 0, seed: 2 }), {
    position: 20_000,
    width: 1,
  });
  const b = d.next(40_000);
  const a1 = nums(b, 'attrib1'),
    a2 = nums(b, 'attrib2'),
    y = nums(b, 'class');
  for (let t = 0; t < b.length; t++) assert.is(y[t], a1[t]! + a2[t]! <= (t < 20_000 ? 8 : 7) ? 0 : 1);
});

test('drifts nest: a drift of a drift gives two changes', () => {
  const first = new ConceptDriftGenerator(new Tagged(0), new Tagged(1), { position: 100, width: 1 });
  const d = new ConceptDriftGenerator(first, new Tagged(2), { position: 250, width: 1 });
  const src = nums(d.next(400), 'source');
  assert.equal([src[99], src[100], src[249], src[250], src[399]], [0, 1, 1, 2, 2]);
});

test('JSON round trip in the middle of a gradual drift continues identically', () => {
  const make = () =>
    new ConceptDriftGenerator(new SEAGenerator({ function: 1, seed: 3 }), new SEAGenerator({ function: 4, seed: 4 }), { position: 5000, width: 4000, seed: 5 });
  assert.is(snapshot(make().next(6000)), snapshot(make().next(6000)));
  const d = make();
  d.next(4800);
  const state = JSON.parse(JSON.stringify(d.toJSON()));
  const r = generatorFromJSON(state) as ConceptDriftGenerator;
  assert.instance(r, ConceptDriftGenerator);
  assert.is(r.fromB, d.fromB);
  assert.is(snapshot(r.next(3000)), snapshot(d.next(3000)));
  assert.is(r.a.position + r.b.position, r.position);
});

test.run();
