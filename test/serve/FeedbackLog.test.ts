import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FeedbackLog } from '../../src/serve/FeedbackLog.js';

const entry = (by: string) => ({ by, input: { a: 1 }, prediction: new Float32Array([0.5]) });

test('lookup: found, then a duplicate once answered; unknown ids are unknown', () => {
  const log = new FeedbackLog<string>({ now: () => 0 });
  log.log('a', entry('m1'));
  assert.equal(log.lookup('a'), { found: entry('m1') });
  assert.equal(log.lookup('b'), { unknown: true });
  log.answer('a');
  assert.equal(log.lookup('a'), { duplicate: true });
  assert.is(log.size, 1);
});

test('bounded by count (oldest first) and by age; predicting an id again makes it the newest', () => {
  let t = 0;
  const log = new FeedbackLog<string>({ maxIds: 3, maxAgeMs: 100, now: () => t });
  for (const id of ['a', 'b', 'c']) log.log(id, entry(id));
  log.log('a', entry('a2'));
  log.log('d', entry('d'));
  assert.equal(log.lookup('b'), { unknown: true }, 'b was the oldest');
  assert.equal(log.lookup('a'), { found: entry('a2') });
  assert.is(log.size, 3);
  t = 50;
  log.log('e', entry('e'));
  t = 100;
  // c, a and d were logged at 0: 100 ms old is gone.
  assert.equal(
    ['a', 'c', 'd', 'e'].map((id) => Object.keys(log.lookup(id))[0]),
    ['unknown', 'unknown', 'unknown', 'found'],
  );
  assert.is(log.size, 1);
  t = 149;
  assert.is(log.size, 1);
  t = 150;
  assert.is(log.size, 0);
});

test('options are checked', () => {
  assert.throws(() => new FeedbackLog({ maxIds: 0 }), /maxIds/);
  assert.throws(() => new FeedbackLog({ maxIds: 1.5 }), /maxIds/);
  assert.throws(() => new FeedbackLog({ maxAgeMs: 0 }), /maxAgeMs/);
});

test.run();
