import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Batch, Rng, Schema, SpecError, Telemetry, type TelemetryEvent } from '../../src/core/index.js';
import { Derive, ExpressionError } from '../../src/features/index.js';

const batch = Batch.fromRows(
  [
    { a: 1, b: 2 },
    { a: null, b: 3 },
    { a: 4, b: 0 },
    { a: Infinity, b: 1 },
  ],
  Schema.from({ a: 'number', b: 'number' }),
);

test('expression derive adds a column; JSON round trip', () => {
  const d = new Derive('r', 'a / b');
  const out = d.apply(batch);
  assert.equal(
    out.toRows().map((r) => r.r),
    [0.5, null, null, null],
  );
  assert.is(d.path, 'expression');
  const e = Derive.fromJSON(JSON.parse(JSON.stringify(d.toJSON())));
  assert.equal(e.apply(batch).toRows(), out.toRows());
  assert.throws(
    () => new Derive('r', 'a +'),
    (x: unknown) => x instanceof ExpressionError && x.path === 'derive.r',
  );
});

// Parameter names are read from the function's source text; a bundler that renames shadowing
// parameters would change them, which is why `columns` can be given explicitly.
test('function derive on the CPU path: parameters name the columns, missing in → missing out, logged', () => {
  const tel = new Telemetry();
  const logs: string[] = [];
  const sub = tel.events$.subscribe((e: TelemetryEvent) => {
    if (e.type === 'log') logs.push(e.message);
  });
  const d = new Derive('r', (a, b) => a * 10 + b, { telemetry: tel });
  assert.equal(d.columns, ['a', 'b']);
  assert.equal(
    d
      .apply(batch)
      .toRows()
      .map((r) => r.r),
    [12, null, 40, null],
  );
  assert.is(d.path, 'cpu');
  assert.match(logs.join('\n'), /per row on the CPU/);
  sub.unsubscribe();
  assert.throws(
    () => Derive.fromJSON(d.toJSON()),
    (x: unknown) => x instanceof SpecError && /cannot be restored/.test(x.message),
  );
});

test('function derive through a compile hook gives the same values as the CPU twin', () => {
  // A columnar stand-in compiler: the hook's contract, independent of gpu.js.
  const compiled = new Derive('r', (b: number, a: number) => b - a, {
    compile: (fn) => (inputs, n) => {
      const o = new Float32Array(n);
      for (let i = 0; i < n; i++) o[i] = fn(inputs[0]![i]!, inputs[1]![i]!);
      return o;
    },
  });
  const cpu = new Derive('r', (b: number, a: number) => b - a);
  assert.equal(compiled.apply(batch).toRows(), cpu.apply(batch).toRows());
  assert.is(compiled.path, 'compiled');
  assert.equal(compiled.columns, ['b', 'a']);
});

test('an unknown engine is a SpecError naming derive.engine', () => {
  assert.throws(
    () => new Derive('r', (a: number) => a, { engine: 'cuda' as never }),
    (x: unknown) => x instanceof SpecError && /derive\.engine: expected one of cpu\|webasm\|webgpu/.test(x.message),
  );
});

for (const engine of ['webasm', 'webgpu'] as const) {
  test(`function derive compiled by gpu.js (${engine}) matches the CPU twin within f32 rounding`, async () => {
    const rng = new Rng(11);
    const n = 1031; // prime, so no power-of-two tiling hides an edge
    const rows = Array.from({ length: n }, (_, i) => ({ distance: i % 97 === 0 ? null : rng.uniform(0, 3000), time: rng.uniform(0, 20) }));
    const big = Batch.fromRows(rows, Schema.from({ distance: 'number', time: 'number' }));
    const fn = (distance: number, time: number) => distance / (time + 1);
    const gpu = new Derive('speed', fn, { engine });
    const cpu = new Derive('speed', fn);
    try {
      const got = (await gpu.applyAsync(big)).column('speed');
      const want = cpu.apply(big).column('speed');
      assert.is(gpu.path, 'gpujs');
      if (got.type !== 'number' || want.type !== 'number') throw new Error('expected number columns');
      for (let i = 0; i < n; i++) {
        const a = got.values[i]!,
          b = want.values[i]!;
        if (Number.isNaN(b)) {
          assert.ok(Number.isNaN(a), `row ${i} should be missing`);
          continue;
        }
        assert.ok(Math.abs(a - b) <= 1e-4 + 1e-5 * Math.abs(b), `row ${i}: ${a} vs ${b}`);
      }
    } finally {
      await gpu.dispose();
    }
  });
}

test.run();
