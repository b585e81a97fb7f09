import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SourceError } from '../../../src/core/index.js';
import { openInput } from '../../../src/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-input-'));

async function readAll(path: string, chunkSize = 7): Promise<string> {
  const input = await openInput(path, { chunkSize });
  const parts: Buffer[] = [];
  for await (const c of input.chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString('utf8');
}

test('reads a plain file in chunks and knows its size', async () => {
  const p = join(dir, 'a.txt');
  writeFileSync(p, 'hello,world\n1,2\n');
  assert.is(await readAll(p), 'hello,world\n1,2\n');
  assert.is((await openInput(p)).totalBytes, 16);
});

test('gunzips by magic bytes, whatever the name', async () => {
  const p = join(dir, 'b.bin');
  const text = 'x,y\n'.repeat(1000);
  writeFileSync(p, gzipSync(text));
  assert.is(await readAll(p, 64), text);
});

test('missing file and directory give SourceError naming the path', async () => {
  try {
    await openInput(join(dir, 'nope.csv'));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /nope\.csv: no such file/);
  }
  try {
    await openInput(dir);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /is a directory/);
  }
});

test('empty file yields no chunks', async () => {
  const p = join(dir, 'empty');
  writeFileSync(p, '');
  assert.is(await readAll(p), '');
});

test.run();
