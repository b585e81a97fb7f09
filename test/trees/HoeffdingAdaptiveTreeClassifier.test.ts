import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError } from '../../src/core/index.js';
import {
  HoeffdingAdaptiveTreeClassifier,
  type HoeffdingAdaptiveTreeClassifierOptions,
  type HoeffdingAdaptiveTreeClassifierState,
  HoeffdingTreeClassifier,
} from '../../src/trees/index.js';
import { prequential, sea, stagger } from './classifierStreams.js';

function window(correct: Uint8Array, from: number, to: number): number {
  let k = 0;
  for (let i = from; i < to; i++) k += correct[i]!;
  return k / (to - from);
}

test('STAGGER 1 → 2 → 3 (abrupt, 5000 rows each): HAT recovers after the changes, the plain tree does not', () => {
  // Measured: over rows 5000..15000 HAT 0.960, the Hoeffding tree 0.778; over the last 2000 rows
  // HAT 1.000, the Hoeffding tree 0.799 (its leaves only count the new concept on top of the old).
  const s = stagger(5000, [1, 2, 3]);
  const hat = new HoeffdingAdaptiveTreeClassifier({ classes: 2, inputs: s.inputs });
  const ht = new HoeffdingTreeClassifier({ classes: 2, inputs: s.inputs });
  const a = prequential(hat, s, 2, 5000),
    b = prequential(ht, s, 2, 5000);
  assert.ok(a.accuracy >= 0.95 && a.accuracy > b.accuracy + 0.1, `after the change: HAT ${a.accuracy}, HT ${b.accuracy}`);
  assert.ok(window(a.correct, 13_000, 15_000) >= 0.99, `HAT over the last 2000 rows ${window(a.correct, 13_000, 15_000)}`);
  assert.ok(window(a.correct, 3000, 5000) >= 0.99, 'HAT learns the first concept');
  const sum = hat.summary();
  assert.ok(sum.alternatesGrown >= 2 && sum.replacements >= 2, JSON.stringify(sum));
  assert.ok(sum.leaves >= 2 && sum.splits > sum.nodes - sum.leaves, 'replaced subtrees leave their splits in the count');
});

test('no drift: on SEA HAT matches the Hoeffding tree', () => {
  const s = sea(20_000);
  const hat = prequential(new HoeffdingAdaptiveTreeClassifier({ classes: 2, inputs: 3 }), s, 2).accuracy,
    ht = prequential(new HoeffdingTreeClassifier({ classes: 2, inputs: 3 }), s, 2).accuracy;
  assert.ok(hat >= 0.85 && Math.abs(hat - ht) < 0.02, `HAT ${hat}, HT ${ht}`);
});

test('false alarms on a stationary stream: alternates that do worse than their subtree are dropped', () => {
  // adwinDelta 0.9 makes ADWIN cut on noise; on SEA without drift each fresh alternate does worse
  // than the grown subtree and is pruned. Measured: 10 grown, 3 pruned, none replaced; the
  // accuracy is the Hoeffding tree's (0.8697).
  const s = sea(20_000, [1], 2);
  const hat = new HoeffdingAdaptiveTreeClassifier({ classes: 2, inputs: 3, adwinDelta: 0.9 });
  const a = prequential(hat, s, 2).accuracy,
    b = prequential(new HoeffdingTreeClassifier({ classes: 2, inputs: 3 }), s, 2).accuracy;
  const sum = hat.summary();
  assert.ok(sum.alternatesGrown >= 3 && sum.prunedAlternates >= 1, JSON.stringify(sum));
  assert.ok(Math.abs(a - b) < 0.01, `HAT ${a}, HT ${b}`);
});

test('JSON round trip with alternates growing: the restored tree continues exactly', () => {
  const s = stagger(5000, [1, 2, 3]);
  const a = new HoeffdingAdaptiveTreeClassifier({ classes: 2, inputs: s.inputs, maxFeatures: 6, seed: 3 });
  let i = 0;
  for (; i < s.rows.length && (i < 5000 || a.summary().alternates === 0); i++) a.learn(s.rows[i]!, s.ys[i]!);
  assert.ok(a.summary().alternates > 0 && i < 15_000, `no alternate by row ${i}`);
  const text = JSON.stringify(a.toJSON());
  const b = HoeffdingAdaptiveTreeClassifier.fromJSON(JSON.parse(text) as HoeffdingAdaptiveTreeClassifierState);
  assert.ok(JSON.stringify(b.toJSON()) === text, 'restored state differs');
  const pa = new Float64Array(2),
    pb = new Float64Array(2);
  for (; i < s.rows.length; i++) {
    a.predictProba(s.rows[i]!, pa);
    b.predictProba(s.rows[i]!, pb);
    assert.equal(pb, pa);
    a.learn(s.rows[i]!, s.ys[i]!);
    b.learn(s.rows[i]!, s.ys[i]!);
  }
  assert.equal(b.summary(), a.summary());
  assert.ok(JSON.stringify(b.toJSON()) === JSON.stringify(a.toJSON()), 'states differ after learning on');
  assert.equal(b.options(), a.options());
  assert.throws(() => HoeffdingAdaptiveTreeClassifier.fromJSON(JSON.parse(JSON.stringify(new HoeffdingTreeClassifier({ classes: 2, inputs: 3 })))), /kind/);
});

test('w = 0 learns nothing; feature importances come from the main tree', () => {
  const s = stagger(6000, [1]);
  const t = new HoeffdingAdaptiveTreeClassifier({ classes: 2, inputs: s.inputs });
  prequential(t, s, 2);
  const before = JSON.stringify(t.toJSON());
  for (let i = 0; i < 300; i++) t.learn(s.rows[i]!, s.ys[i]!, 0);
  assert.ok(JSON.stringify(t.toJSON()) === before, 'w = 0 changed the state');
  // Concept 1 is size = small ∧ color = red: columns 0 and 3.
  const imp = new Float64Array(9);
  t.featureImportances(imp);
  const top = Array.from(imp.keys())
    .sort((x, y) => imp[y]! - imp[x]!)
    .slice(0, 2)
    .sort();
  assert.equal(top, [0, 3]);
});

test('bad options throw a SpecError naming the key', () => {
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ classes: 2, inputs: 3, adwinDelta: 0 }, 'adwinDelta'],
    [{ classes: 2, inputs: 3, adwinDelta: 1 }, 'adwinDelta'],
    [{ classes: 2, inputs: 3, gracePeriod: -1 }, 'gracePeriod'],
    [{ classes: 0, inputs: 3 }, 'classes'],
    [{ classes: 2, inputs: 3, adwin: 0.1 }, 'adwin'],
  ];
  for (const [o, key] of bad) {
    try {
      new HoeffdingAdaptiveTreeClassifier(o as unknown as HoeffdingAdaptiveTreeClassifierOptions);
      assert.unreachable(`${JSON.stringify(o)} was accepted`);
    } catch (e) {
      assert.instance(e, SpecError);
      assert.is((e as SpecError).path, `hoeffdingAdaptiveTree.${key}`);
    }
  }
  assert.is(new HoeffdingAdaptiveTreeClassifier({ classes: 2, inputs: 3 }).adwinDelta, 0.002);
});

test.run();
