import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { scheduledRate } from '../../src/learn/index.js';

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

test('constant: lr at every step', () => {
  for (const t of [1, 2, 1000]) near(scheduledRate(0.3, { kind: 'constant' }, t), 0.3);
});

test('inverse scaling: lr / (1 + decay·(t−1))^power, first update at lr', () => {
  const s = { kind: 'inverse' as const, decay: 0.5, power: 2 };
  near(scheduledRate(1, s, 1), 1);
  near(scheduledRate(1, s, 2), 1 / 1.5 ** 2);
  near(scheduledRate(1, s, 5), 1 / 3 ** 2);
});

test('step: ×gamma every k updates', () => {
  const s = { kind: 'step' as const, every: 3, gamma: 0.5 };
  assert.equal(
    [1, 2, 3, 4, 6, 7].map((t) => scheduledRate(0.8, s, t)),
    [0.8, 0.8, 0.8, 0.4, 0.4, 0.2],
  );
});

test('cosine: from lr to the floor over T updates, then the floor', () => {
  const s = { kind: 'cosine' as const, steps: 4, floor: 0.1 };
  near(scheduledRate(1, s, 1), 1);
  near(scheduledRate(1, s, 3), 0.1 + 0.9 * 0.5); // halfway: cos(π/2) = 0
  near(scheduledRate(1, s, 5), 0.1);
  near(scheduledRate(1, s, 50), 0.1);
});

test('warmup: linear ramp over W updates, then the base schedule from its start', () => {
  const s = { kind: 'step' as const, every: 2, gamma: 0.1, warmup: 4 };
  near(scheduledRate(1, s, 1), 0.25);
  near(scheduledRate(1, s, 4), 1);
  near(scheduledRate(1, s, 5), 1);
  near(scheduledRate(1, s, 6), 1);
  near(scheduledRate(1, s, 7), 0.1);
  near(scheduledRate(2, { kind: 'constant', warmup: 10 }, 3), 0.6);
});

test.run();
