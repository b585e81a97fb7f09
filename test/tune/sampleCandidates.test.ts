import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveSearchSpace, sampleCandidates } from '../../src/tune/index.js';

const space = resolveSearchSpace([
  { kind: 'logistic', optimizer: 'normalized', lr: { logUniform: [0.05, 5] }, l2: [0, 1e-6, 1e-4] },
  { kind: 'logistic', optimizer: 'ftrl', lr: { uniform: [0.01, 2] }, l1: { int: [0, 3] } },
]);

test('families take turns; the first of each is its defaults (first choices, ranges left out)', () => {
  const c = sampleCandidates(space, 10, 7);
  assert.equal(
    c.map((x) => x.family),
    [0, 1, 0, 1, 0, 1, 0, 1, 0, 1],
  );
  assert.equal(c[0]!.config, { kind: 'logistic', optimizer: 'normalized', l2: 0 });
  assert.equal(c[1]!.config, { kind: 'logistic', optimizer: 'ftrl' });
  assert.is(c[0]!.label, 'logistic normalized l2=0');
  assert.equal(
    c.map((x) => x.id),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
});

test('draws stay in their ranges, are seeded, and differ between candidates', () => {
  const c = sampleCandidates(space, 200, 3);
  for (const x of c.slice(2)) {
    const lr = x.config.lr as number;
    if (x.family === 0) {
      assert.ok(lr >= 0.05 && lr <= 5, `lr ${lr}`);
      assert.ok([0, 1e-6, 1e-4].includes(x.config.l2 as number));
    } else {
      assert.ok(lr >= 0.01 && lr <= 2, `lr ${lr}`);
      assert.ok([0, 1, 2, 3].includes(x.config.l1 as number));
    }
  }
  // Log-uniform: about as many rates below 0.5 (the geometric middle) as above it.
  const low = c.filter((x) => x.family === 0 && x.id >= 2 && (x.config.lr as number) < 0.5).length;
  assert.ok(low > 30 && low < 70, `${low} of 99 below the geometric middle`);
  assert.equal(sampleCandidates(space, 20, 3), c.slice(0, 20));
  assert.not.equal(sampleCandidates(space, 20, 4), c.slice(0, 20));
  assert.is(new Set(c.map((x) => JSON.stringify(x.config))).size, 200);
});

test('a space of plain values is one configuration', () => {
  const c = sampleCandidates(resolveSearchSpace({ kind: 'logistic', lr: 0.3 }), 1);
  assert.equal(c, [{ id: 0, family: 0, config: { kind: 'logistic', lr: 0.3 }, label: 'logistic lr=0.3' }]);
});

test.run();
