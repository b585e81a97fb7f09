import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, BadRows, SpecError, Telemetry } from '../../src/core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-badrows-'));

test('skip counts by reason, dead-letters with quoting, and keeps read = passed + skipped', () => {
  const telemetry = new Telemetry();
  const events: number[] = [];
  telemetry.on('skipped').subscribe((e) => events.push(e.skipped));
  const path = join(dir, 'dl.csv');
  const br = new BadRows('f.csv', { deadLetter: path, telemetry });
  br.read = 10;
  br.reject('number', { line: 3, column: 2, field: 'x', value: 'abc' }, 'not a number', 'a,abc,"q"');
  br.reject('field-count', { line: 7 }, 'expected 3 fields, got 2', 'a,b');
  assert.equal(br.account(), { read: 10, passed: 8, skipped: 2, skippedByReason: { number: 1, 'field-count': 1 } });
  assert.equal(events, [1, 2]);
  br.close();
  assert.is(
    readFileSync(path, 'utf8'),
    'line,reason,column,value,detail,raw\n3,number,x,abc,not a number,"a,abc,""q"""\n7,field-count,,,"expected 3 fields, got 2","a,b"\n',
  );
});

test('no bad rows, no dead-letter file', () => {
  const path = join(dir, 'none.csv');
  const br = new BadRows('f.csv', { deadLetter: path, telemetry: new Telemetry() });
  br.close();
  assert.not.ok(existsSync(path));
});

test('fail throws BadInputError with file:line:column and the value', () => {
  const br = new BadRows('data/f.csv', { badRows: 'fail', telemetry: new Telemetry() });
  try {
    br.reject('date', { line: 12, column: 4, field: 'when', value: '2023-02-30' }, 'not a date', '');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.is((e as Error).message, 'data/f.csv:12:4: column "when" value "2023-02-30": date: not a date');
    assert.is((e as BadInputError).location.line, 12);
  }
});

test('an unknown policy is a SpecError', () => {
  assert.throws(
    () => new BadRows('x', { badRows: 'ignore' as never }),
    (e: unknown) => e instanceof SpecError && /badRows: expected one of skip\|fail/.test((e as Error).message),
  );
});

test.run();
