import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeatureMatrix } from '../../src/core/index.js';
import { takeRows } from '../../src/evaluate/index.js';
import { matrix } from '../operators/learn/FakeModel.js';

test('takeRows gathers dense and CSR rows across parts with their targets and ids', () => {
  const csr = (start: number) =>
    FeatureMatrix.csr(2, 4, Int32Array.from([0, 1, 3]), Int32Array.from([start % 4, 0, 3]), Float32Array.from([start + 1, start + 2, start + 3]), {
      targets: Float32Array.from([start, start + 1]),
      rowIds: Float64Array.from([start, start + 1]),
    });
  const t = takeRows([csr(10), csr(20)], [3, 0, 2]);
  assert.equal(Array.from(t.rowIds!), [21, 10, 20]);
  assert.equal(Array.from(t.targets!), [21, 10, 20]);
  assert.equal(Array.from(t.toDense().values), [22, 0, 0, 23, 0, 0, 11, 0, 21, 0, 0, 0]);
  const d = takeRows([matrix(0, 3), matrix(3, 2)], [4, 1]);
  assert.equal(Array.from(d.values), [0.5, 4, 0.5, 1]);
  assert.throws(() => takeRows([matrix(0, 3), csr(0)], [0]), /part 1 is csr/);
  assert.throws(() => takeRows(matrix(0, 3), [3]), /outside/);
});

test.run();
