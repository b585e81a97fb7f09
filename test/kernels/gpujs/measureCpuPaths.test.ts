import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measureCpuPaths } from '../../../src/kernels/gpujs/measureCpuPaths.js';

test('measureCpuPaths times both paths and names the faster one consistently with its timings', async () => {
  const r = await measureCpuPaths({ m: 17, n: 5, k: 11, rows: 1001, reps: 1 });
  for (const p of [r.gemm, r.derived]) {
    assert.ok(p.tsMs >= 0 && p.webasmMs >= 0 && Number.isFinite(p.tsMs) && Number.isFinite(p.webasmMs));
    assert.is(p.faster, p.webasmMs < p.tsMs ? 'webasm' : 'ts');
  }
  assert.equal([r.gemm.m, r.gemm.n, r.gemm.k, r.derived.rows], [17, 5, 11, 1001]);
});

test.run();
