import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Telemetry } from '../../src/core/index.js';

test('wants: false with no subscriber, true for every type while events$ is subscribed', () => {
  const t = new Telemetry();
  assert.is(t.wants('metrics'), false);
  const seen: string[] = [];
  const sub = t.events$.subscribe((e) => seen.push(e.type));
  assert.is(t.wants('metrics'), true);
  assert.is(t.wants('account'), true);
  t.emit({ type: 'log', level: 'info', message: 'hi' });
  sub.unsubscribe();
  assert.is(t.wants('metrics'), false);
  assert.equal(seen, ['log']);
});

test('wants: on(type) counts for its own type only, and stops counting when unsubscribed', () => {
  const t = new Telemetry();
  const got: number[] = [];
  const a = t.on('account').subscribe((e) => got.push(e.read));
  const b = t.on('account').subscribe(() => {});
  assert.is(t.wants('account'), true);
  assert.is(t.wants('metrics'), false);
  t.emit({ type: 'account', source: 's', read: 3, passed: 3, skipped: 0, skippedByReason: {}, done: true });
  t.emit({ type: 'metrics', rows: 1, values: { accuracy: 1 } });
  a.unsubscribe();
  assert.is(t.wants('account'), true);
  b.unsubscribe();
  assert.is(t.wants('account'), false);
  assert.equal(got, [3]);
});

test.run();
