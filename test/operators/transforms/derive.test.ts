import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Schema } from '../../../src/core/index.js';
import { derive } from '../../../src/operators/index.js';

const batches = [0, 1, 2].map((k) =>
  Batch.fromRows(
    Array.from({ length: 50 }, (_, i) => ({ a: k * 50 + i, b: i % 5 })),
    Schema.from({ a: 'number', b: 'number' }),
  ),
);

test('derive with a gpu.js engine runs batch by batch in order and matches the expression path', async () => {
  const viaKernel = await lastValueFrom(
    from(batches).pipe(
      derive('s', (a: number, b: number) => a * 2 + b, { engine: 'webasm' }),
      toArray(),
    ),
  );
  const viaExpr = await lastValueFrom(from(batches).pipe(derive('s', 'a * 2 + b'), toArray()));
  assert.is(viaKernel.length, 3);
  assert.equal(
    viaKernel.map((b) => b.toRows()),
    viaExpr.map((b) => b.toRows()),
  );
});

test('a bad expression fails when the operator is created, pointing at the character', () => {
  assert.throws(() => derive('x', 'a * (b + '), /derive\.x/);
});

test.run();
