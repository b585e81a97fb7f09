/**
 * A second process for the registry's race tests (not a test file): waits for the file GO, then
 * `publish N TAG` publishes N versions (each staged, saved, published) and prints each version,
 * or `activate` activates a random published version until the file STOP exists and prints how
 * many times. Run as `node --import tsx test/registry/racer.ts REG GO STOP MODE [N TAG]`.
 */
import { existsSync } from 'node:fs';
import { ModelRegistry } from '../../src/registry/index.js';
import { writeSaved } from './fixtures.js';

const [dir, go, stop, mode, n, tag] = process.argv.slice(2) as [string, string, string, string, string?, string?];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
process.stdout.write('ready\n');
while (!existsSync(go)) await sleep(2);
const reg = ModelRegistry.open(dir, { create: true, lockTimeoutMs: 60_000 });
if (mode === 'publish') {
  for (let i = 0; i < Number(n); i++) {
    const staged = reg.stage();
    writeSaved(staged, { auc: 0.5 + i / 100, rows: i + 1, tag: `${tag}-${i}` });
    process.stdout.write(`${reg.publish(staged, { source: `${tag}-${i}` }).version}\n`);
  }
} else {
  let count = 0;
  while (!existsSync(stop)) {
    const names = reg.versions().map((v) => v.version);
    if (names.length > 0) {
      reg.activate(names[Math.floor(Math.random() * names.length)]!);
      count++;
    }
    await sleep(1);
  }
  process.stdout.write(`activated ${count}\n`);
}
