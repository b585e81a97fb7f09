/**
 * Test runner: runs every `*.test.ts(x)` under test/ (or those whose path contains one of the
 * arguments) and ends with `N passed, N failed, N skipped`. Exits non-zero when a test fails, when
 * no test ran, or when a file outruns its time limit (SLUICE_TEST_FILE_TIMEOUT_S, default 600).
 *
 * How: SLUICE_TEST_WORKERS long-lived worker processes (test/worker.ts; default: the machine's
 * parallelism, kept within 2..4) take files from one queue, longest first by the last run's times
 * (kept in the OS temp dir, out of git), and each runs its files one after another in one process.
 * Starting Node + tsx + the src/ graph took about a second per file when every file had its own
 * process; now it is paid once per worker.
 *
 * Why not uvu's own API: `uvu/run` and `exec` run everything in uvu's process-wide queue and only
 * print totals, so running file after file in one process and counting each means driving uvu's
 * internal globals (UVU_QUEUE, UVU_INDEX, UVU_DEFER). Why not `node --test`: on Node 20 it starts
 * a process per file, the cost this runner removes. So the worker maps the specifier 'uvu' to
 * test/uvu.ts, a small implementation of the same `test`/`suite` API that hands queued suites to
 * the worker; the test files and their `uvu/assert` asserts are unchanged.
 *
 * Isolation: a native crash (Dawn aborting, a segfault) or an unexpected exit costs one file. The
 * worker is replaced and the file is retried once in a fresh process of its own; a second death
 * counts as a failure (in a fresh process, only a signal is retried, as before). A file that
 * outruns its limit is killed with its worker, fails, and is not retried (it would cost the limit
 * again). Files in ISOLATED always run in a fresh process. A worker whose memory passes
 * SLUICE_TEST_WORKER_MAX_RSS_MB (default 2048) after a file is replaced.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';

// Dawn's OpenGL ES backend needs a surfaceless EGL platform when there is no display.
process.env.EGL_PLATFORM ??= 'surfaceless';

/**
 * Files that cannot share a process with others, by file name (so a move between folders keeps
 * the mark), each with the reason found when running the suite in shared workers.
 */
const ISOLATED: Record<string, string> = {};

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`test/run.ts: ${name}=${JSON.stringify(raw)} must be a positive integer\n`);
    process.exit(2);
  }
  return n;
}

const root = resolve(process.env.SLUICE_TEST_ROOT ?? import.meta.dirname);
const filters = process.argv.slice(2);
const fileTimeoutMs = positiveInt('SLUICE_TEST_FILE_TIMEOUT_S', 600) * 1000;
const maxRss = positiveInt('SLUICE_TEST_WORKER_MAX_RSS_MB', 2048) * 2 ** 20;
const workerCount = positiveInt('SLUICE_TEST_WORKERS', Math.min(4, Math.max(2, availableParallelism())));
// One times file per test root, so checkouts (and the runner's own test fixtures) do not mix.
const timesPath = join(tmpdir(), `sluice-test-times-${createHash('sha1').update(root).digest('hex').slice(0, 10)}.json`);
const workerPath = join(import.meta.dirname, 'worker.ts');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : walk(p);
      return name.endsWith('.test.ts') || name.endsWith('.test.tsx') ? [p] : [];
    });
}

const files = walk(root).filter((f) => filters.length === 0 || filters.some((x) => relative(root, f).includes(x)));

let lastTimes: Record<string, number> = {};
try {
  lastTimes = JSON.parse(readFileSync(timesPath, 'utf8')) as Record<string, number>;
} catch {
  /* first run: no times yet */
}

interface Job {
  file: string;
  name: string;
  attempt: number;
  fresh: boolean;
}
interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}
type End = { kind: 'done'; skipped: number; rss: number } | { kind: 'died'; code: number | null; signal: string | null } | { kind: 'timeout' };

/** One worker process and the file it is running. */
class Worker {
  readonly proc: ChildProcess;
  private job: { tally: Tally; log: string[]; test: string; finish: (end: End) => void } | null = null;
  private partial = { out: '', err: '' };
  private exited: End | null = null;

  constructor() {
    this.proc = fork(workerPath, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: process.env,
    });
    this.proc.stdout!.setEncoding('utf8').on('data', (s: string) => this.read('out', s));
    this.proc.stderr!.setEncoding('utf8').on('data', (s: string) => this.read('err', s));
    this.proc.on('error', () => {
      /* reported through 'exit' */
    });
    // 'close' comes once the pipes are drained, so the dying file's last lines are kept; a test's
    // child that inherited the pipes could hold them open, hence the 200 ms bound after 'exit'.
    let ended = false;
    const end = (code: number | null, signal: string | null): void => {
      if (ended) return;
      ended = true;
      this.flush();
      this.exited = { kind: 'died', code, signal };
      this.job?.finish(this.exited);
    };
    this.proc.on('exit', (code, signal) => {
      setTimeout(() => end(code, signal), 200).unref();
    });
    this.proc.on('close', (code, signal) => end(code, signal));
  }

  get alive(): boolean {
    return this.exited === null;
  }

  /** Runs one file; resolves with what it counted and how it ended. */
  run(job: Job): Promise<{ tally: Tally; log: string[]; test: string; end: End }> {
    return new Promise((done) => {
      const tally: Tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
      const state = {
        tally,
        log: [] as string[],
        test: '',
        finish: (end: End) => {
          clearTimeout(timer);
          this.job = null;
          done({ tally, log: state.log, test: state.test, end });
        },
      };
      const timer = setTimeout(() => {
        this.proc.kill('SIGKILL');
        state.finish({ kind: 'timeout' });
      }, fileTimeoutMs);
      this.job = state;
      if (this.exited) {
        state.finish(this.exited);
        return;
      }
      this.proc.send({ file: job.file });
    });
  }

  /** Lets the worker exit; it exits on its own when the channel closes. */
  close(): void {
    if (this.proc.connected) this.proc.disconnect();
  }

  private read(stream: 'out' | 'err', chunk: string): void {
    const lines = (this.partial[stream] + chunk).split('\n');
    this.partial[stream] = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  private flush(): void {
    for (const stream of ['out', 'err'] as const) {
      if (this.partial[stream]) this.line(this.partial[stream]);
      this.partial[stream] = '';
    }
  }

  private line(line: string): void {
    const job = this.job;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: \x01 marks the worker's protocol lines.
    const m = /^\x01SLUICE (\w+) (.*)$/.exec(line);
    if (m === null) {
      // Output of a test, or of an idle worker (a late timer of the previous file): shown with the
      // file running now, or on its own.
      if (job) job.log.push(line);
      else if (line) process.stdout.write(`  (worker ${this.proc.pid}, between files) ${line}\n`);
      return;
    }
    if (job === null) return;
    if (job.log.at(-1) === '') job.log.pop(); // the newline the worker puts before each record
    const payload = JSON.parse(m[2]!) as unknown;
    if (m[1] === 'test') job.test = payload as string;
    else if (m[1] === 'pass') job.tally.passed++;
    else if (m[1] === 'fail') {
      job.tally.failed++;
      job.tally.failures.push(payload as string);
    } else if (m[1] === 'done') {
      const { skipped, rss } = payload as { skipped: number; rss: number };
      job.tally.skipped += skipped;
      job.finish({ kind: 'done', skipped, rss });
    }
  }
}

const queue: Job[] = files
  .map((file) => ({ file, name: relative(root, file), attempt: 1, fresh: basename(file) in ISOLATED }))
  // Longest first, so the last files to finish are short ones; files without a time go first.
  .sort((a, b) => (lastTimes[b.name] ?? Infinity) - (lastTimes[a.name] ?? Infinity) || a.name.localeCompare(b.name));

let passed = 0,
  failed = 0,
  skipped = 0;
const failing: string[] = [];
const times: Record<string, number> = {};
const started = performance.now();

function report(name: string, tally: Tally, log: string[], seconds: number): void {
  const ok = tally.failed === 0;
  let out = log.length ? log.map((l) => `  │ ${l}\n`).join('') : '';
  if (tally.failures.length) out += `\n${tally.failures.join('\n')}\n`;
  out += `${ok ? '✔' : '✘'} ${name}  ${tally.passed}/${tally.passed + tally.failed}  ${seconds.toFixed(1)}s\n`;
  process.stdout.write(out);
  passed += tally.passed;
  failed += tally.failed;
  skipped += tally.skipped;
  if (!ok) failing.push(name);
}

async function slot(): Promise<void> {
  let shared: Worker | null = null;
  for (let job = queue.shift(); job; job = queue.shift()) {
    const worker: Worker = job.fresh ? new Worker() : shared?.alive ? shared : (shared = new Worker());
    const t0 = performance.now();
    const { tally, log, test, end } = await worker.run(job);
    const seconds = (performance.now() - t0) / 1000;
    if (job.fresh || end.kind !== 'done' || end.rss > maxRss) {
      worker.close();
      if (worker === shared) shared = null; // the next file gets a new worker, not this closing one
    }
    if (end.kind === 'done') {
      times[job.name] = seconds * 1000;
      report(job.name, tally, log, seconds);
      continue;
    }
    if (end.kind === 'timeout') {
      times[job.name] = fileTimeoutMs;
      tally.failed += 1;
      tally.failures.push(`  FAIL ${job.name}: timed out after ${fileTimeoutMs / 1000}s${test ? ` in "${test}"` : ''}; its worker was killed\n`);
      report(job.name, tally, log, seconds);
      continue;
    }
    // The process died mid-file. In a shared worker the cause may be the file or something an
    // earlier file left behind, so any death is retried alone; alone, only a signal is.
    const why = end.signal ? `killed by ${end.signal}` : `exited ${end.code} without finishing`;
    const retry = job.attempt === 1 && (!job.fresh || end.signal !== null);
    process.stdout.write(
      `! ${job.name}: ${job.fresh ? 'process' : 'worker'} ${why}${test ? ` in "${test}"` : ''}${retry ? '; retrying once in a fresh process' : ''}\n`,
    );
    if (retry) {
      // What the first attempt printed and failed is shown, not counted: the retry's result counts.
      if (log.length) process.stdout.write(log.map((l) => `  │ ${l}\n`).join(''));
      if (tally.failures.length) process.stdout.write(`\n${tally.failures.join('\n')}\n`);
      queue.unshift({ ...job, attempt: 2, fresh: true });
      continue;
    }
    // Tests that ended before the death keep their results; the death is one more failure.
    tally.failed += 1;
    tally.failures.push(`  FAIL ${job.name}: process ${why}${test ? ` in "${test}"` : ''}\n`);
    report(job.name, tally, log, seconds);
  }
  shared?.close();
}

await Promise.all(Array.from({ length: Math.min(workerCount, Math.max(1, files.length)) }, () => slot()));

try {
  writeFileSync(timesPath, JSON.stringify({ ...lastTimes, ...times }));
} catch {
  /* only an ordering hint */
}
const total = passed + failed;
process.stdout.write(
  `\n${files.length} files, ${((performance.now() - started) / 1000).toFixed(1)}s, ${workerCount} workers${failing.length ? `; failing: ${failing.join(', ')}` : ''}\n`,
);
if (total === 0) process.stdout.write('no test ran\n');
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 || total === 0 ? 1 : 0);
