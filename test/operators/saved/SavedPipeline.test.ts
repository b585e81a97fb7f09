import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadRows, Batch, SchemaError, SourceError, SpecError } from '../../../src/core/index.js';
import { loadPipeline } from '../../../src/operators/index.js';
import { sluice } from '../../cli/sluice.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-saved-'));
const rows = ['x,city,y'];
for (let i = 0; i < 300; i++) rows.push(`${((i * 37) % 101) / 50 - 1},${['a', 'b', 'c'][i % 3]},${((i * 37) % 101) / 50 - 1 > 0 ? 'yes' : 'no'}`);
writeFileSync(join(dir, 'train.csv'), `${rows.join('\n')}\n`);
const save = join(dir, 'model');

test.before(async () => {
  const r = await sluice(['train', join(dir, 'train.csv'), '--target', 'y', '--quiet', '--json', '--save', save]);
  assert.is(r.code, 0, r.stderr);
});

test('loadPipeline: task, classes and the recorded input types; the operator appends prediction and probability', async () => {
  const saved = await loadPipeline(save);
  assert.is(saved.task, 'binary');
  assert.equal(saved.classes, ['no', 'yes']);
  // y is the label: left untyped, so a row is scored whatever its label holds.
  assert.equal(saved.inputTypes, { x: 'number', city: 'category' });
  const b = Batch.fromRows([
    { x: 0.9, city: 'a' },
    { x: -0.9, city: 'b' },
  ]);
  const [out] = await lastValueFrom(from([b]).pipe(saved.predict(), toArray()));
  assert.equal(out!.names, ['x', 'city', 'prediction', 'probability']);
  assert.is(out!.value('prediction', 0), 'yes');
  assert.is(out!.value('prediction', 1), 'no');
  const p = out!.value('probability', 0) as number;
  assert.ok(p > 0.5 && p < 1, String(p));
  const [x] = await lastValueFrom(from([b]).pipe(saved.transform(), toArray()));
  assert.is(x!.rows, 2);
  assert.equal(Array.from(await saved.model.predict(x!)), [p, out!.value('probability', 1) as number].map(Math.fround));
  await saved.dispose();
});

test('predictBatch: a row the steps reject is left out, counted by their books, and the others keep their own predictions', async () => {
  // Without its imputeStandardize step the pipeline no longer fills a non-finite x: vectorize rejects that row.
  const art = JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
  art.pipeline.transforms = art.pipeline.transforms.filter((t: { kind: string }) => t.kind !== 'imputeStandardize');
  const f = join(dir, 'no-impute.json');
  writeFileSync(f, JSON.stringify(art));
  const saved = await loadPipeline(f);
  const books = new Map<string, BadRows>();
  saved.setBadRows((step) => {
    const b = new BadRows(step, { badRows: 'skip' });
    books.set(step, b);
    return b;
  });
  const all = Batch.fromRows([
    { x: 0.5, city: 'a' },
    { x: Number.POSITIVE_INFINITY, city: 'b' },
    { x: -0.5, city: 'c' },
  ]);
  const out = await saved.predictBatch(all);
  assert.equal(books.get('vectorize')!.account().skippedByReason, { 'non-finite': 1 });
  assert.equal(Array.from(out.rowIds), [0, 2]);
  assert.equal(
    [0, 1].map((i) => out.value('x', i)),
    [0.5, -0.5],
  );
  const alone = await saved.predictBatch(all.take(Int32Array.of(0, 2)));
  assert.equal(
    [0, 1].map((i) => out.value('probability', i)),
    [0, 1].map((i) => alone.value('probability', i)),
  );
  await saved.dispose();
});

test('predictBatch: an input column named like an added one is an error naming it; a prefix avoids it', async () => {
  const saved = await loadPipeline(save);
  const b = Batch.fromRows([{ x: 0.1, city: 'a', prediction: 'mine' }]);
  try {
    await saved.predictBatch(b);
    assert.unreachable('clash');
  } catch (e) {
    assert.instance(e, SchemaError);
    assert.match(String(e), /"prediction"/);
  }
  const ok = await saved.predictBatch(b, { prefix: 'm_' });
  assert.equal(ok.names, ['x', 'city', 'prediction', 'm_prediction', 'm_probability']);
  assert.throws(
    () => saved.predict({ threshold: 1.5 }),
    (e: unknown) => e instanceof SpecError,
  );
  await saved.dispose();
});

test('loadPipeline refuses what is not a pipeline artifact, naming the file', async () => {
  for (const [name, text, want] of [
    ['bad-json', '{', SourceError],
    ['bad-version', JSON.stringify({ ...JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8')), version: 7 }), SpecError],
    ['no-model', JSON.stringify({ ...JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8')), model: undefined }), SpecError],
  ] as const) {
    const f = join(dir, `${name}.json`);
    writeFileSync(f, text);
    try {
      await loadPipeline(f);
      assert.unreachable(name);
    } catch (e) {
      assert.instance(e, want, `${name}: ${String(e)}`);
      assert.match(String(e), name);
    }
  }
  // A damaged step state or a model whose width does not match the pipeline: a SpecError naming the file.
  const art = JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
  for (const [name, broken, key] of [
    ['null-step', { ...art, pipeline: { ...art.pipeline, transforms: [null, ...art.pipeline.transforms.slice(1)] } }, /pipeline/],
    ['wide-model', { ...art, model: { ...art.model, inputs: art.model.inputs + 3 } }, /model/],
  ] as const) {
    const f = join(dir, `${name}.json`);
    writeFileSync(f, JSON.stringify(broken));
    try {
      await loadPipeline(f);
      assert.unreachable(name);
    } catch (e) {
      assert.instance(e, SpecError, `${name}: ${String(e)}`);
      assert.match(String(e), `${name}.json`);
      assert.match(String(e), key);
    }
  }
  try {
    await loadPipeline(join(dir, 'none'));
    assert.unreachable('missing');
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match(String(e), /no such model directory/);
  }
});

test('labelColumns, labelTypes and labelCode: what a labelled row carries and how its label is read', async () => {
  const saved = await loadPipeline(save);
  assert.equal(saved.labelColumns, ['y']);
  assert.equal(saved.labelTypes, { y: 'category' });
  assert.equal(
    ['no', 'yes', 'maybe', 1, null, undefined, { y: 'no' }].map((v) => saved.labelCode(v)),
    [0, 1, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN],
  );
  // The label as a column of class names gives those targets to the model.
  const x = saved.features(
    Batch.fromRows([
      { x: 0.5, city: 'a', y: 'yes' },
      { x: -0.5, city: 'b', y: 'no' },
    ]),
  );
  assert.equal(Array.from(x.targets!), [1, 0]);
  await saved.dispose();

  // A derived target (x > 0.5 reads x): the label is what the expression reads; a regression's label is a finite number.
  const derived = join(dir, 'derived');
  const r = await sluice(['train', join(dir, 'train.csv'), '--target', 'x > 0.5', '--quiet', '--save', derived]);
  assert.is(r.code, 0, r.stderr);
  const d = await loadPipeline(derived);
  assert.equal(d.labelColumns, ['x']);
  assert.equal(d.labelTypes, { x: 'number' });
  assert.equal(d.inputTypes, { city: 'category', y: 'category' });
  assert.equal([d.labelCode(true), d.labelCode('false'), d.labelCode('yes')], [1, 0, Number.NaN]);
  await d.dispose();
});

test('artifact(): the steps as loaded and the model as it is now, in the shape train --save writes; loadPipeline of it predicts as the live model', async () => {
  const saved = await loadPipeline(save);
  const file = JSON.parse(readFileSync(join(save, 'pipeline.json'), 'utf8'));
  // Before learning: the same artifact as the file (its model state, steps, types, lineage and report).
  const same = await saved.artifact();
  assert.equal(Object.keys(same), ['version', 'task', 'lineage', 'input', 'pipeline', 'model', 'report']);
  assert.equal(JSON.parse(JSON.stringify(same)), file);
  // The model learns the opposite of what it was trained on.
  const labelled = Batch.fromRows(
    Array.from({ length: 200 }, (_, i) => {
      const x = ((i * 53) % 97) / 48 - 1;
      return { x, city: ['a', 'b', 'c'][i % 3]!, y: x > 0 ? 'no' : 'yes' };
    }),
  );
  for (let k = 0; k < 3; k++) await saved.model.learn(saved.features(labelled));
  const art = await saved.artifact({ lineage: { command: 'test' }, report: { rows: { read: 600 } } });
  assert.equal(art.lineage, { command: 'test' });
  assert.equal(art.report, { rows: { read: 600 } });
  assert.equal(art.input, file.input);
  assert.equal(art.pipeline, file.pipeline);
  assert.not.equal(art.model, file.model);
  // The text form is the same artifact.
  assert.equal(JSON.parse(await saved.artifactText({ lineage: { command: 'test' }, report: { rows: { read: 600 } } })), JSON.parse(JSON.stringify(art)));
  const f = join(dir, 'learned.json');
  writeFileSync(f, await saved.artifactText());
  const again = await loadPipeline(f);
  const b = Batch.fromRows([
    { x: 0.9, city: 'a' },
    { x: -0.4, city: 'c' },
    { x: 0.1, city: 'b' },
  ]);
  const live = await saved.predictBatch(b);
  const back = await again.predictBatch(b);
  for (let i = 0; i < 3; i++) {
    assert.is(back.value('probability', i), live.value('probability', i));
    assert.is(back.value('prediction', i), live.value('prediction', i));
  }
  assert.is(live.value('prediction', 0), 'no', 'learned the opposite');
  // Without options, the loaded artifact's lineage and report go with it.
  assert.equal(again.lineage, file.lineage);
  assert.equal(again.savedReport, file.report);
  await saved.dispose();
  await again.dispose();
});

test("features(batch, true, books): the books given count the steps' bad rows and the rows without a usable label, for that call only", async () => {
  const saved = await loadPipeline(save);
  saved.setBadRows((step) => new BadRows(step, { badRows: 'fail' }));
  const steps = new Map<string, BadRows>();
  const labels = new BadRows('stream', { badRows: 'skip' });
  const books = {
    steps: (step: string) => {
      if (!steps.has(step)) steps.set(step, new BadRows(step, { badRows: 'skip' }));
      return steps.get(step)!;
    },
    labels,
  };
  const b = Batch.fromRows([
    { x: 0.5, city: 'a', y: 'yes' },
    { x: 0.2, city: 'b', y: null },
    { x: -0.5, city: 'c', y: 'maybe' },
    { x: -0.7, city: 'a', y: 'no' },
  ]);
  const x = saved.features(b, true, books);
  assert.equal(Array.from(x.targets!), [1, 0]);
  assert.equal(Array.from(x.rowIds!), [0, 3]);
  assert.equal(labels.account().skippedByReason, { label: 2 });
  // The steps' own books (fail) are back: a row with no label passes through features() untouched.
  assert.equal(Array.from(saved.features(b).targets!).map(Number.isNaN), [false, true, true, false]);
  await saved.dispose();
});

test.run();
