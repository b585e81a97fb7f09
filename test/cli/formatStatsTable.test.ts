import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatStatsTable } from '../../src/cli/index.js';
import type { ColumnSummary } from '../../src/features/index.js';

const none = { mean: null, std: null, min: null, max: null, p50: null, p90: null, p99: null, quantileError: null, histogram: null };
const category = (top: ColumnSummary['top'], exact: boolean, floor: number): ColumnSummary => ({
  type: 'category',
  count: 42_000,
  missing: 0,
  nonFinite: 0,
  ...none,
  top,
  topExact: exact,
  topFloor: floor,
});

test('case 9: exact counts as (n); approximate ones as lo–hi, only values above the floor, with a note', () => {
  const table = formatStatsTable({
    state: category(
      [
        { value: 'TX', count: 2670, error: 0 },
        { value: 'CA', count: 2666, error: 0 },
      ],
      true,
      0,
    ),
    city: category(
      [
        { value: 'Washington', count: 355, error: 55 },
        { value: 'Houston', count: 190, error: 0 },
        { value: 'Seattle', count: 1341, error: 1286 },
        { value: 'Tacoma', count: 60, error: 20 },
      ],
      false,
      44,
    ),
    zip: category([{ value: '97639', count: 11, error: 10 }], false, 10),
  });
  const lines = table.split('\n');
  assert.ok(
    lines.every((l) => l.length <= 80),
    lines.find((l) => l.length > 80),
  );
  assert.ok(lines.includes('  top: TX (2670), CA (2666)'), table);
  // Tacoma's guaranteed 40 is not above the floor 44: a value the sketch dropped may have occurred more.
  assert.ok(lines.includes('  top (approx.): Washington 300–355, Houston (190), Seattle 55–1341'), table);
  assert.ok(lines.includes('  top (approx.): none stands out'), table);
  assert.match(table, /^approx\.: .*lo–hi holds the true count\.$/m);
  assert.match(table, /^A value not listed occurred at most: city 44, zip 10$/m);
});

test('items that do not fit in 78 columns are left out whole, not cut', () => {
  const top = Array.from({ length: 5 }, (_, i) => ({ value: `a-rather-long-value-${i}`, count: 100 - i, error: 0 }));
  const line = formatStatsTable({ c: category(top, true, 0) }).split('\n')[3]!;
  assert.is(line, '  top: a-rather-long-v… (100), a-rather-long-v… (99), a-rather-long-v… (98)');
});

test.run();
