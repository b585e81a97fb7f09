import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DeadLetter } from '../../src/core/index.js';

const dir = mkdtempSync(join(tmpdir(), 'deadletter-'));

test('alone, a dead letter replaces the file on its first row and writes no file when clean', () => {
  const p = join(dir, 'alone.csv');
  writeFileSync(p, 'old run\n');
  const clean = new DeadLetter(join(dir, 'clean.csv'));
  clean.close();
  assert.not.ok(existsSync(join(dir, 'clean.csv')));
  const d = new DeadLetter(p);
  d.write(3, 'number', 'x', 'abc', 'not a number', '1,abc');
  d.close();
  assert.is(readFileSync(p, 'utf8'), 'line,reason,column,value,detail,raw\n3,number,x,abc,not a number,"1,abc"\n');
});

test('case 2: a shared dead letter collects every writer of a run under one header, and removes an old file first', () => {
  const p = join(dir, 'shared.csv');
  writeFileSync(p, 'left by an earlier run\n');
  const release = DeadLetter.share(p);
  assert.not.ok(existsSync(p), 'the old file is gone before the stages start');
  const source = new DeadLetter(p),
    step = new DeadLetter(p),
    thread = new DeadLetter(p, true);
  step.write(5, 'duplicate', 'k', 'a', 'repeat', '{}');
  step.flush();
  source.write(9, 'field-count', '3', '', 'too many fields', 'a,b,c');
  thread.write(11, 'number', 'x', 'abc', 'not a number', 'abc');
  source.close();
  step.close();
  thread.close();
  release();
  const lines = readFileSync(p, 'utf8').trim().split('\n');
  assert.is(lines[0], 'line,reason,column,value,detail,raw');
  assert.equal(
    lines
      .slice(1)
      .map((l) => l.split(',')[0])
      .sort(),
    ['11', '5', '9'],
  );
  // Released: the next dead letter on the path replaces it again.
  const next = new DeadLetter(p);
  next.write(1, 'utf8', '', '', 'bad byte', '');
  next.close();
  assert.is(readFileSync(p, 'utf8').trim().split('\n').length, 2);
});

test.run();
