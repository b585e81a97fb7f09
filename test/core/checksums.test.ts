import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checksums, SourceError } from '../../src/core/index.js';

test('write records sha256sum lines; read returns the bytes, and refuses them once changed, naming the file and both sums', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-sums-'));
  writeFileSync(join(dir, 'a.json'), '{"a":1}');
  writeFileSync(join(dir, 'b.json'), '{"b":2}');
  checksums.write(dir, ['a.json', 'b.json']);
  const lines = readFileSync(join(dir, checksums.FILE), 'utf8').trim().split('\n');
  // sha256("{\"a\":1}"), as sha256sum prints it.
  assert.equal(lines, ['015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862  a.json', `${lines[1]!.slice(0, 64)}  b.json`]);
  assert.is(checksums.read(join(dir, 'a.json')).toString(), '{"a":1}');
  writeFileSync(join(dir, 'a.json'), '{"a":2}');
  try {
    checksums.read(join(dir, 'a.json'));
    assert.unreachable('changed');
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match(String(e), /a\.json: checksum mismatch: SHA256SUMS says 015abd7f.* the file has [0-9a-f]{64}/);
  }
  // b.json is untouched; a file the record does not name, and a directory without one, read as they are.
  assert.is(checksums.read(join(dir, 'b.json')).toString(), '{"b":2}');
  writeFileSync(join(dir, 'c.json'), 'c');
  assert.is(checksums.read(join(dir, 'c.json')).toString(), 'c');
  const bare = mkdtempSync(join(tmpdir(), 'sluice-nosums-'));
  writeFileSync(join(bare, 'a.json'), 'x');
  assert.is(checksums.read(join(bare, 'a.json')).toString(), 'x');
});

test.run();
