import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDatetime, Rng } from '../../../src/core/index.js';
import { parseDatetimeBytes } from '../../../src/io/csv/parseDatetimeBytes.js';

// The byte fast path must give exactly parseDatetime's epoch ms, or NaN to hand over to it.
function check(s: string, mustBeFast = false): void {
  const b = Buffer.from(`,${s},`);
  const fast = parseDatetimeBytes(b, 1, b.length - 1);
  const slow = parseDatetime(s);
  if (fast !== fast) {
    assert.ok(!mustBeFast, `${s} should take the fast path`);
    return;
  }
  assert.is(fast, slow, s);
}

test('edge cases agree with parseDatetime', () => {
  for (const s of [
    '2024-01-01',
    '2024-02-29',
    '2023-02-29',
    '2023-02-30',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-01-01T00:00',
    '2024-01-01 23:59:59',
    '2024-01-01T24:00:00',
    '2024-12-31T23:59:60',
    '2024-01-01T12:60',
    '2024-01-01T12:30:00Z',
    '2024-01-01T12:30:00.5',
    '2024-01-01T12:30:00,123456789',
    '2024-01-01T12:30:00.1234567890',
    '2024-01-01T12:30:00+05:30',
    '2024-01-01T12:30:00-0800',
    '2024-01-01T12:30:00+01',
    '2024-01-01T12:30+01:00',
    '2024-01-01T12:30:00+1',
    '2024-01-01T12:30:00.Z',
    '0050-01-01',
    '1899-12-31',
    '1600-02-29',
    '1700-02-29',
    '2400-02-29',
    '9999-12-31T23:59:59.999Z',
    '2024/01/05',
    '2024-1-05',
    '20240105',
    'x',
  ])
    check(s);
  check('2024-03-15T13:45:00', true);
  check('2024-03-15', true);
});

test('random timestamps agree with parseDatetime', () => {
  const rng = new Rng(5);
  const p2 = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < 30_000; i++) {
    let s = `${1800 + rng.int(400)}-${p2(rng.int(14))}-${p2(rng.int(33))}`;
    if (rng.bernoulli(0.8)) s += `${rng.bernoulli(0.5) ? 'T' : ' '}${p2(rng.int(26))}:${p2(rng.int(61))}`;
    if (rng.bernoulli(0.6)) s += `:${p2(rng.int(62))}`;
    if (rng.bernoulli(0.3)) s += `.${String(rng.int(1e6)).slice(0, 1 + rng.int(6))}`;
    const z = rng.int(4);
    if (z === 1) s += 'Z';
    else if (z === 2) s += `${rng.bernoulli(0.5) ? '+' : '-'}${p2(rng.int(15))}${rng.bernoulli(0.5) ? ':' : ''}${p2(rng.int(60))}`;
    check(s);
  }
});

test.run();
