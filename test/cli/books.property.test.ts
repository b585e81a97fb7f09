import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../../src/cli/index.js';
import { Rng } from '../../src/core/index.js';

// Issue #10's property: random pipelines over random dirty files (bad numbers, NaN, empty cells,
// stray quotes, wide integers, missing labels, short and long rows). Every run either fails with a
// named error and a non-zero status, or exits 0 with books that balance: read = trained + heldOut
// + skipped, skipped = the sum of skippedByReason, nothing `unaccounted`, every line of the file read
// (unless a stray quote merged lines into one record), and one dead-letter line per skipped row.
// Runs in-process through runCli, so 100 runs take seconds. SLUICE_FUZZ_RUNS raises the count.

const RUNS = Number(process.env.SLUICE_FUZZ_RUNS ?? 100);
const dir = process.env.SLUICE_FUZZ_DIR ?? mkdtempSync(join(tmpdir(), 'sluice-fuzz-'));

/** `records`: what an RFC 4180 reader sees (a stray quote merges lines up to the next quote). */
interface Case {
  file: string;
  lines: number;
  records: number;
  strayQuotes: number;
  format: 'csv' | 'ndjson';
}

function dirtyFile(rng: Rng, k: number): Case {
  const format = rng.float() < 0.75 ? 'csv' : 'ndjson';
  const n = 20 + Math.floor(rng.float() * 1500);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.float() * xs.length)]!;
  const dirty = rng.float() * 0.15;
  const lines: string[] = [];
  let strayQuotes = 0;
  for (let i = 0; i < n; i++) {
    const a = (rng.float() - 0.5) * 10;
    const w = i < 100 ? Math.floor(rng.float() * 100) : pick([7, 12.5, -3e9, 2767891499, 42]);
    const c = pick(['red', 'green', 'blue', 'teal']);
    const y = a + (c === 'red' ? 2 : 0) > 0 ? 1 : 0;
    const cells: unknown[] = [a, w, c, y];
    if (rng.float() < dirty) cells[0] = pick(['NaN', '', 'Infinity', '1e308', '-1e308']);
    // Rare words in a long file: ≤ 1% of an inference window of 100+ values keeps the column numeric
    // and their rows are skipped as `number` (more, or in a short file, make it a category).
    if (n >= 500 && rng.float() < 0.002) cells[0] = 'abc';
    if (rng.float() < dirty) cells[2] = '';
    if (rng.float() < dirty) cells[3] = pick(['', 'NaN', '2', '0.5']);
    if (format === 'csv') {
      let line = cells.map((v) => String(v)).join(',');
      const r = rng.float();
      if (r < dirty / 4) line = `${line},extra`;
      else if (r < dirty / 2) line = line.split(',').slice(0, 2).join(',');
      else if (r < dirty / 2 + 0.004) {
        line = line.replace(/,([a-z]+),/, ',"$1,');
        strayQuotes++;
      }
      lines.push(line);
    } else {
      const o: Record<string, unknown> = {};
      ['a', 'w', 'c', 'y'].forEach((name, j) => {
        const v = cells[j];
        o[name] =
          v === '' ? null : typeof v === 'string' && name !== 'c' && !Number.isFinite(Number(v)) ? v : typeof v === 'string' && name !== 'c' ? Number(v) : v;
      });
      lines.push(rng.float() < dirty / 4 ? '{"a": 1, broken' : JSON.stringify(o));
    }
  }
  const file = join(dir, `case${k}.${format}`);
  const text = `${(format === 'csv' ? 'a,w,c,y\n' : '') + lines.join('\n')}\n`;
  writeFileSync(file, text);
  return { file, lines: n, records: format === 'csv' ? countRecords(text) - 1 : n, strayQuotes, format };
}

function randomSteps(rng: Rng): string[] {
  const steps: string[] = [];
  const maybe = (p: number, s: string) => {
    if (rng.float() < p) steps.push(s);
  };
  maybe(0.4, '  - validate: { required: [a], ranges: { a: { min: -4, max: 4 } } }');
  maybe(0.5, '  - impute: { columns: [a, w], strategy: mean }');
  maybe(0.3, '  - dedupe: { keys: [c], count: 2 }');
  maybe(0.4, '  - clip: [a]');
  steps.push(rng.float() < 0.5 ? '  - standardize: [a, w]' : '  - scale: { columns: [a, w], method: minmax }');
  steps.push(rng.float() < 0.7 ? '  - oneHot: [c]' : '  - drop: [c]');
  return steps;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Named failures a dirty file may legitimately end in (never a crash or an internal error). */
const ALLOWED_FAILURE = /no rows to learn from|training diverged|unknown column|vectorize cannot take|expected|has the real value|found no feature/;

test('property: random pipelines over random dirty files keep read = trained + heldOut + skipped, with every skip dead-lettered', async () => {
  const rng = new Rng(20261202);
  const failures: string[] = [];
  let ok = 0,
    failed = 0,
    strayRuns = 0;
  for (let k = 0; k < RUNS; k++) {
    const c = dirtyFile(rng, k);
    const bad = join(dir, `case${k}.bad.csv`);
    const target = rng.float() < 0.7 ? 'y' : 'a > 0';
    const holdout = rng.float() < 0.3;
    let args: string[];
    if (rng.float() < 0.4) {
      // The quick path: default preprocessing decided from the first batch.
      args = ['train', c.file, '--target', target, '--json', '--quiet', '--dead-letter', bad, ...(holdout ? ['--holdout', '0.25'] : [])];
      if (target !== 'y') args.push('--drop', 'y');
    } else {
      const spec = join(dir, `case${k}.yaml`);
      writeFileSync(
        spec,
        `${[
          `source: { ${c.format}: ${c.file}, deadLetter: ${bad}, batchSize: ${1 + Math.floor(rng.float() * 400)} }`,
          `target: ${target}`,
          ...(holdout ? ['split: { test: 0.25 }'] : []),
          'steps:',
          ...randomSteps(rng),
          ...(target !== 'y' ? ['features: { drop: [y] }'] : []),
          ...(rng.float() < 0.5 ? ['training: { onDivergence: restore }'] : []),
        ].join('\n')}\n`,
      );
      args = ['run', spec, '--json', '--quiet'];
    }
    const r = await cli(args);
    const where = `run ${k} (${args.join(' ')}; ${c.lines} lines, ${c.strayQuotes} stray quotes)`;
    if (r.code !== 0) {
      failed++;
      if (!ALLOWED_FAILURE.test(r.err) || /internal error/.test(r.err)) failures.push(`${where}: exit ${r.code}: ${r.err}`);
      continue;
    }
    ok++;
    const rows = JSON.parse(r.out).rows;
    const sum = Object.values(rows.skippedByReason as Record<string, number>).reduce((a, b) => a + b, 0);
    if (rows.read !== rows.trained + rows.heldOut + rows.skipped)
      failures.push(`${where}: read ${rows.read} != ${rows.trained} + ${rows.heldOut} + ${rows.skipped}`);
    if (sum !== rows.skipped) failures.push(`${where}: skipped ${rows.skipped} != sum of reasons ${sum}`);
    if (rows.skippedByReason.unaccounted) failures.push(`${where}: ${rows.skippedByReason.unaccounted} rows unaccounted`);
    if (rows.read !== c.records) failures.push(`${where}: read ${rows.read} of ${c.records} records`);
    if (c.strayQuotes > 0) strayRuns++;
    const letters = existsSync(bad) ? readFileSync(bad, 'utf8') : '';
    const dead = letters === '' ? 0 : countRecords(letters) - 1;
    const expected = rows.skipped - (rows.skippedByReason.stopped ?? 0);
    if (dead !== expected) failures.push(`${where}: ${dead} dead-letter rows for ${expected} skipped`);
  }
  assert.equal(failures, [], failures.join('\n'));
  // The generator must exercise both outcomes and the stray-quote path.
  assert.ok(ok >= RUNS / 2, `only ${ok} of ${RUNS} runs succeeded`);
  assert.ok(strayRuns > 0 || RUNS < 20, 'no successful run had a stray quote');
  assert.ok(failed >= 0);
});

/**
 * Records of a CSV text as the reader splits it: quotes pair up in order and a newline inside a
 * pair does not end a record (RFC 4180); a last quote with no partner costs only its own line
 * (the reader resumes after the first newline past it). Fields here never reach maxFieldBytes.
 */
function countRecords(text: string): number {
  const quotes: number[] = [];
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) quotes.push(i);
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') n++;
  for (let q = 0; q + 1 < quotes.length; q += 2) {
    for (let i = quotes[q]!; i < quotes[q + 1]!; i++) if (text[i] === '\n') n--;
  }
  return n;
}

test.run();
