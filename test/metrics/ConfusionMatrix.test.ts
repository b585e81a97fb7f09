import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SluiceError } from '../../src/core/index.js';
import { ConfusionMatrix } from '../../src/metrics/index.js';

test('counts true × predicted, growing with the largest label', () => {
  const cm = new ConfusionMatrix();
  cm.update([0, 0, 1], [0, 1, 1]);
  assert.is(cm.classes, 2);
  cm.update([1, 2, 2, 2], [1, 2, 0, 2]);
  assert.is(cm.classes, 3);
  assert.equal(cm.toArray(), [
    [1, 1, 0],
    [0, 2, 0],
    [1, 0, 2],
  ]);
  assert.is(cm.total, 7);
  assert.is(cm.count, 7);
  assert.is(cm.correct(), 5);
  assert.equal(
    [0, 1, 2].map((c) => cm.actual(c)),
    [2, 2, 3],
  );
  assert.equal(
    [0, 1, 2].map((c) => cm.predicted(c)),
    [2, 3, 2],
  );
  assert.is(cm.get(5, 0), 0);
});

test('weights add up per cell, revert removes exactly', () => {
  const cm = new ConfusionMatrix();
  cm.update([1, 1, 0, 0], [1, 0, 1, 0], [2, 1, 1, 3]);
  assert.equal(cm.toArray(), [
    [3, 1],
    [1, 2],
  ]);
  assert.is(cm.total, 7);
  cm.update([3], [3], [4]);
  cm.revert([3], [3], [4]);
  assert.equal(
    cm
      .toArray()
      .map((r) => r.slice(0, 2))
      .slice(0, 2),
    [
      [3, 1],
      [1, 2],
    ],
  );
  assert.is(cm.total, 7);
});

test('present classes skip labels never seen', () => {
  const cm = new ConfusionMatrix();
  cm.update([0, 3], [3, 0]);
  assert.equal(cm.presentClasses(), [0, 3]);
});

test('JSON round trip keeps counts, and growth after restore keeps them too', () => {
  const cm = new ConfusionMatrix();
  cm.update([0, 1, 2, 2], [0, 2, 2, 1], [1, 2, 3, 4]);
  const back = ConfusionMatrix.fromJSON(JSON.parse(JSON.stringify(cm)));
  assert.equal(back.toArray(), cm.toArray());
  assert.is(back.total, 10);
  assert.is(back.count, 4);
  back.update([5], [0]);
  assert.is(back.get(2, 2), 3);
  assert.is(back.get(5, 0), 1);
});

test('labels that are not class indices are errors naming the row, and change nothing', () => {
  const cm = new ConfusionMatrix();
  cm.update([0], [0]);
  for (const [t, p, msg] of [
    [[0, 1.5], [0, 0], /yTrue\[1\] = 1\.5/],
    [[0, 0], [0, -1], /yPred\[1\] = -1/],
    [[0], [NaN], /yPred\[0\] = NaN/],
    [[5000], [0], /5000/],
  ] as const) {
    try {
      cm.update(t, p);
      assert.unreachable('should throw');
    } catch (e) {
      assert.instance(e, SluiceError);
      assert.match((e as Error).message, msg);
    }
  }
  assert.is(cm.total, 1);
  assert.throws(() => cm.update([0, 1], [0]), /yPred has 1 values for 2 rows/);
  assert.throws(() => cm.update([0, 1], [0, 1], [1]), /weights has 1 values for 2 rows/);
});

test.run();
