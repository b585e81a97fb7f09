import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SourceError } from '../../../src/core/index.js';
import { openInput } from '../../../src/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-input-reuse-'));

/** Reads with reuseBuffers, copying every chunk before pulling the next (the contract). */
async function readAll(path: string, options: { chunkSize?: number; gzip?: boolean | 'auto' } = {}): Promise<{ text: string; chunks: Uint8Array[] }> {
  const input = await openInput(path, { ...options, reuseBuffers: true });
  const parts: Buffer[] = [];
  const chunks: Uint8Array[] = [];
  for await (const c of input.chunks) {
    parts.push(Buffer.from(c));
    chunks.push(c);
  }
  input.close();
  return { text: Buffer.concat(parts).toString('utf8'), chunks };
}

test('reuseBuffers: a plain file read in chunks of any size, through two alternating buffers', async () => {
  const p = join(dir, 'a.csv');
  const text = Array.from({ length: 500 }, (_, i) => `${i},é${i % 7},x\n`).join('');
  writeFileSync(p, text);
  for (const chunkSize of [1, 7, 4096, 1 << 20]) {
    const { text: got, chunks } = await readAll(p, { chunkSize });
    assert.is(got, text, `chunkSize ${chunkSize}`);
    if (chunks.length > 2) {
      assert.is(new Set(chunks.map((c) => c.buffer)).size, 2, 'chunks share two buffers');
      assert.ok(chunks.every((c) => c.length <= chunkSize));
    }
  }
  assert.is((await openInput(p, { reuseBuffers: true })).totalBytes, Buffer.byteLength(text));
});

test('reuseBuffers: gzip is still sniffed and gunzipped; gzip: false reads the raw bytes', async () => {
  const p = join(dir, 'b.bin');
  const text = 'x,y\n'.repeat(3000);
  const gz = gzipSync(text);
  writeFileSync(p, gz);
  assert.is((await readAll(p, { chunkSize: 64 })).text, text);
  const input = await openInput(p, { reuseBuffers: true, gzip: false, chunkSize: 100 });
  const parts: Buffer[] = [];
  for await (const c of input.chunks) parts.push(Buffer.from(c));
  assert.ok(Buffer.concat(parts).equals(gz));
});

test('reuseBuffers: empty file yields no chunks; missing file is a SourceError', async () => {
  const p = join(dir, 'empty');
  writeFileSync(p, '');
  assert.equal((await readAll(p)).chunks.length, 0);
  try {
    await openInput(join(dir, 'nope.csv'), { reuseBuffers: true });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /nope\.csv: no such file/);
  }
});

test('reuseBuffers: stopping early and closing leaves nothing pending', async () => {
  const p = join(dir, 'c.csv');
  writeFileSync(p, 'abc\n'.repeat(10_000));
  const input = await openInput(p, { reuseBuffers: true, chunkSize: 100 });
  let n = 0;
  for await (const c of input.chunks) {
    n += c.length;
    if (n >= 300) break;
  }
  input.close();
  assert.is(n, 300);
});

test.run();
