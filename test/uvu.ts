/**
 * Stand-in for the 'uvu' module inside test/worker.ts (whose resolve hook maps the bare specifier
 * 'uvu' here; 'uvu/assert' stays the real one). Same API and semantics as uvu 0.5: `test(name, fn)`,
 * `suite(name, state)`, `before`/`after` (+ `.each`), `only`, `skip`, and `run()`, which queues the
 * suite. The difference: queued suites are handed to the worker by `takeSuites()` instead of going
 * through uvu's process-wide globals, so one process can run many files one after another, and a
 * failing `before`/`after` hook fails its tests with its message instead of uvu's silent 0/N.
 * Run a test file directly (`node --import tsx test/x.test.ts`) and it gets the real uvu.
 */
import { compare } from 'uvu/diff';

type Callback<T> = (context: T & { __suite__: string; __test__: string }) => Promise<void> | void;
interface Entry<T> {
  name: string;
  handler: Callback<T>;
}

/** What a running suite tells the worker, as it happens (so a crash mid-suite loses nothing). */
export interface SuiteEvents {
  start(test: string): void;
  pass(): void;
  fail(failure: string): void;
}
/** One queued suite, as the worker runs it; resolves with the number of tests it skipped. */
export type QueuedSuite = (events: SuiteEvents) => Promise<number>;

let queued: QueuedSuite[] = [];

/** The suites queued by `run()` since the last call (the worker calls it after importing a file). */
export function takeSuites(): QueuedSuite[] {
  const out = queued;
  queued = [];
  return out;
}

interface Context<T> {
  tests: Entry<T>[];
  only: Entry<T>[];
  before: Callback<T>[];
  after: Callback<T>[];
  bEach: Callback<T>[];
  aEach: Callback<T>[];
  skips: number;
  state: T & { __suite__: string; __test__: string };
}

function context<T>(state: T & { __suite__: string; __test__: string }): Context<T> {
  return { tests: [], only: [], before: [], after: [], bEach: [], aEach: [], skips: 0, state };
}

/** uvu's failure block: suite and test name, message and operator, the diff, the stack without node internals. */
export function formatFailure(err: unknown, testName: string, suiteName: string): string {
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & {
    details?: string | false;
    operator?: string;
    actual?: unknown;
    expected?: unknown;
  };
  const operator = e.operator ?? '';
  let details = e.details;
  if (e.name.startsWith('AssertionError') && !operator.includes('not')) details = compare(e.actual, e.expected);
  let out = `  FAIL ${suiteName ? `[${suiteName}] ` : ''}"${testName}"\n    ${e.message}${operator ? `  (${operator})` : ''}\n`;
  if (details) out += `\n        ${details.split('\n').join('\n        ')}`;
  const stack = (e.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    // Node internals and this runner's own frames say nothing about the test.
    .filter((l) => l.length > 0 && !/^\s*at.*(?:\(|\s)(?:node|(internal\/[\w/]*))/.test(l) && !/test[\\/](?:uvu|worker)\.ts:/.test(l));
  if (stack.length) out += `\n    ${stack.join('\n    ')}`;
  return `${out}\n`;
}

async function runSuite<T>(ctx: Context<T>, name: string, events: SuiteEvents): Promise<number> {
  const { only, tests, before, after, bEach, aEach, state } = ctx;
  let hookError: unknown = null;
  try {
    for (const hook of before) await hook(state);
  } catch (err) {
    hookError = err;
  }
  for (const t of only.length ? only : tests) {
    state.__test__ = t.name;
    events.start(t.name);
    if (hookError !== null) {
      events.fail(formatFailure(hookError, `${t.name} (its before hook failed)`, name));
      continue;
    }
    try {
      for (const hook of bEach) await hook(state);
      await t.handler(state);
      for (const hook of aEach) await hook(state);
      events.pass();
    } catch (err) {
      try {
        for (const hook of aEach) await hook(state);
      } catch {
        /* the test's own error is the one to report */
      }
      events.fail(formatFailure(err, t.name, name));
    }
  }
  state.__test__ = '';
  try {
    for (const hook of after) await hook(state);
  } catch (err) {
    // An after hook that throws counts as one more failure, so it cannot pass unnoticed.
    events.fail(formatFailure(err, '(after hook)', name));
  }
  return (only.length ? tests.length : 0) + ctx.skips;
}

interface Hook<T> {
  (fn: Callback<T>): void;
  each(fn: Callback<T>): void;
}
export interface Test<T> {
  (name: string, fn: Callback<T>): void;
  only(name: string, fn: Callback<T>): void;
  skip(name?: string, fn?: Callback<T>): void;
  before: Hook<T>;
  after: Hook<T>;
  run(): void;
}

export function suite<T = Record<string, unknown>>(name = '', state?: T): Test<T> {
  const s = (state ?? {}) as T & { __suite__: string; __test__: string };
  s.__test__ = '';
  s.__suite__ = name;
  let ctx = context<T>(s);
  const test = ((n: string, fn: Callback<T>) => {
    ctx.tests.push({ name: n, handler: fn });
  }) as Test<T>;
  test.only = (n, fn) => {
    ctx.only.push({ name: n, handler: fn });
  };
  test.skip = () => {
    ctx.skips++;
  };
  const before = ((fn: Callback<T>) => {
    ctx.before.push(fn);
  }) as Hook<T>;
  before.each = (fn) => {
    ctx.bEach.push(fn);
  };
  const after = ((fn: Callback<T>) => {
    ctx.after.push(fn);
  }) as Hook<T>;
  after.each = (fn) => {
    ctx.aEach.push(fn);
  };
  test.before = before;
  test.after = after;
  test.run = () => {
    const copy = ctx;
    ctx = context<T>(copy.state);
    queued.push((events) => runSuite(copy, name, events));
  };
  return test;
}

export const test = suite();

/** uvu's `exec` runs queued suites itself; here the worker does, so calling it is a mistake. */
export function exec(): Promise<void> {
  return Promise.reject(new Error('test/uvu.ts: exec() is not available under test/run.ts; the worker runs queued suites'));
}
