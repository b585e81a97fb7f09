// Properties every metric must have: batch-splitting invariance, integer weights = repeated
// rows, JSON round trip mid-stream, reset, exact revert.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { METRIC_NAMES, metricFromJSON } from '../../src/metrics/index.js';
import { CONFIGS } from './configs.js';
import { close, randomCuts, slice } from './helpers.js';

test('the configurations cover every metric name', () => {
  const covered = new Set(CONFIGS.map((c) => c.make().name));
  assert.equal([...covered].sort(), [...METRIC_NAMES].sort());
});

for (const c of CONFIGS) {
  test(`${c.label}: one batch or many give the same value`, () => {
    const d = c.data(400, 21);
    const width = d.yPred.length / d.yTrue.length;
    const one = c.make(),
      many = c.make();
    one.update(d.yTrue, d.yPred, d.weights);
    let at = 0;
    for (const k of randomCuts(400, 22)) {
      const b = slice(d, at, at + k, width);
      many.update(b.yTrue, b.yPred, b.weights);
      at += k;
    }
    assert.ok(Number.isFinite(one.value), `finite on random data: ${one.value}`);
    assert.ok(close(one.value, many.value, 1e-10), `${one.value} vs ${many.value}`);
    assert.is(many.count, one.count);
  });

  test(`${c.label}: integer weights equal repeated rows`, () => {
    const d = c.data(200, 31);
    const width = d.yPred.length / d.yTrue.length;
    const w = d.weights.map((x) => Math.round(x));
    const t: number[] = [],
      p: number[] = [];
    for (let i = 0; i < 200; i++) {
      for (let r = 0; r < w[i]!; r++) {
        t.push(d.yTrue[i]!);
        for (let k = 0; k < width; k++) p.push(d.yPred[i * width + k]!);
      }
    }
    const weighted = c.make(),
      repeated = c.make();
    weighted.update(d.yTrue, d.yPred, w);
    repeated.update(t, p);
    assert.ok(close(weighted.value, repeated.value, 1e-10), `${weighted.value} vs ${repeated.value}`);
  });

  test(`${c.label}: JSON round trip mid-stream, then both continue alike`, () => {
    const d = c.data(300, 41);
    const width = d.yPred.length / d.yTrue.length;
    const a = c.make();
    const first = slice(d, 0, 150, width),
      rest = slice(d, 150, 300, width);
    a.update(first.yTrue, first.yPred, first.weights);
    const b = metricFromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    assert.is(b.name, a.name);
    assert.ok(close(b.value, a.value, 1e-12));
    a.update(rest.yTrue, rest.yPred, rest.weights);
    b.update(rest.yTrue, rest.yPred, rest.weights);
    assert.ok(close(b.value, a.value, 1e-12));
    assert.equal(b.toJSON(), a.toJSON());
  });

  test(`${c.label}: reset forgets everything`, () => {
    const d = c.data(50, 51);
    const m = c.make();
    m.update(d.yTrue, d.yPred, d.weights);
    m.reset();
    assert.is(m.count, 0);
    assert.ok(Number.isNaN(m.value));
    m.update(d.yTrue, d.yPred, d.weights);
    const fresh = c.make();
    fresh.update(d.yTrue, d.yPred, d.weights);
    assert.ok(close(m.value, fresh.value, 1e-12));
  });

  const revertible = c.make().revert !== undefined;
  if (revertible) {
    test(`${c.label}: revert of earlier rows equals never having seen them`, () => {
      const d = c.data(300, 61);
      const width = d.yPred.length / d.yTrue.length;
      const a = slice(d, 0, 120, width),
        b = slice(d, 120, 300, width);
      const m = c.make(),
        fresh = c.make();
      m.update(a.yTrue, a.yPred, a.weights);
      m.update(b.yTrue, b.yPred, b.weights);
      m.revert!(a.yTrue, a.yPred, a.weights);
      fresh.update(b.yTrue, b.yPred, b.weights);
      assert.ok(close(m.value, fresh.value, 1e-9), `${m.value} vs ${fresh.value}`);
    });
  }
}

test.run();
