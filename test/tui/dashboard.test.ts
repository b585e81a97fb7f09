import { EventEmitter } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpecError, Telemetry } from '../../src/core/index.js';
import { dashboard } from '../../src/tui/index.js';
import { cells, lines } from './components.helpers.js';

// dashboard() with its default worker rendering: frames land in a file standing in for the
// terminal, keys come from a fake terminal stdin read on this thread.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(join(tmpdir(), 'sluice-dash-'));

/** A terminal stdin: raw mode calls are recorded. */
function fakeStdin() {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; isRaw: boolean; setRawMode(m: boolean): unknown; modes: boolean[] };
  s.isTTY = true;
  s.isRaw = false;
  s.modes = [];
  s.setRawMode = (m: boolean) => {
    s.modes.push(m);
    s.isRaw = m;
    return s;
  };
  return s;
}

/** Nice values of this process's threads (Linux: field 19 of /proc/self/task/<tid>/stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((t) => Number(readFileSync(`/proc/self/task/${t}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
}

/** Waits for the file's text (escape sequences removed) to match; the worker may take seconds to start. */
async function until(file: string, ok: (text: string) => boolean, what: string, ms = 30_000): Promise<string> {
  const end = Date.now() + ms;
  let text = '';
  while (Date.now() < end) {
    text = lines(readFileSync(file, 'utf8')).join('\n');
    if (ok(text)) return text;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}; output:\n${text.slice(-3000)}`);
}

test('worker rendering: ready after the first frame, frames reach the descriptor, keys call back on this thread, console output passes, stop leaves the final frame', async () => {
  const file = join(dir, 'term-1');
  const fd = openSync(file, 'w');
  const telemetry = new Telemetry();
  const stdin = fakeStdin();
  const calls: string[] = [];
  const dash = dashboard({
    telemetry,
    fd,
    width: 80,
    height: 24,
    title: 'worker test',
    stdin: stdin as unknown as NodeJS.ReadStream,
    onPause: () => calls.push('pause'),
    onResume: () => calls.push('resume'),
    onSnapshot: () => {
      calls.push('snapshot');
      return '/tmp/snap.json';
    },
    onQuit: () => calls.push('quit'),
    onInterrupt: () => calls.push('interrupt'),
  });
  try {
    assert.equal(stdin.modes, [true], 'stdin in raw mode while the dashboard runs');
    await dash.ready;
    assert.match(lines(readFileSync(file, 'utf8')).join('\n'), /worker test/, 'ready: the first frame is written');
    telemetry.emit({ type: 'progress', source: 'sea', rows: 2_500, bytes: 0, totalRows: 10_000, done: false });
    telemetry.emit({ type: 'metrics', rows: 2_500, values: { accuracy: 0.75 } });
    let text = await until(file, (t) => /sea \[[█▏▎▍▌▋▊▉ ]+\] +25\.0% 2500\/10\.0k/.test(t), 'the first progress');
    assert.match(text, /worker test · sea/);
    assert.match(text, /p pause\/resume · s snapshot · q quit/, 'the footer lists the keys: stdin is a terminal');
    if (existsSync('/proc/self/task')) assert.ok(threadNices().includes(10), `a thread at nice 10 draws: ${threadNices().join(',')}`);
    stdin.write('p');
    assert.equal(calls, ['pause'], 'the key is handled on this thread at once');
    await until(file, (t) => /PAUSED/.test(t), 'the paused state');
    stdin.write('ps');
    await until(file, (t) => /snapshot saved: \/tmp\/snap\.json/.test(t), 'the snapshot note');
    assert.equal(calls, ['pause', 'resume', 'snapshot']);
    stdin.write('\u001b[A'); // an arrow key: not a dashboard key
    stdin.write('\u0003');
    console.log('printed by the pipeline thread');
    stdin.write('q');
    assert.equal(calls, ['pause', 'resume', 'snapshot', 'interrupt', 'quit']);
    await until(file, (t) => /printed by the pipeline thread/.test(t), 'the console line');
    for (let i = 1; i <= 20; i++) telemetry.emit({ type: 'progress', source: 'sea', rows: 2_500 + i * 375, bytes: 0, totalRows: 10_000, done: i === 20 });
    await dash.stop();
    assert.equal(stdin.modes, [true, false], 'raw mode off after stop');
    text = lines(readFileSync(file, 'utf8')).join('\n');
    const final = text.slice(text.lastIndexOf('worker test · sea'));
    assert.match(final, /sea \[█+\] 100\.0% 10\.0k\/10\.0k/, 'the final frame shows the last event');
    assert.match(final, /DONE/, 'the source finished after q');
    assert.ok(dash.output !== null && dash.output.bytes > 0 && dash.output.writes > 0, JSON.stringify(dash.output));
    await dash.stop(); // idempotent
  } finally {
    await dash.stop();
    closeSync(fd);
  }
});

test('worker rendering follows the terminal size on resize', async () => {
  const file = join(dir, 'term-2');
  const fd = openSync(file, 'w');
  const telemetry = new Telemetry();
  // A terminal-like stdout: its size and 'resize' are read on this thread, its fd written by the worker.
  const term = Object.assign(new EventEmitter(), { fd, columns: 100, rows: 30, isTTY: true });
  const dash = dashboard({
    telemetry,
    stdout: term as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    title: 'resize test',
    patchConsole: false,
  });
  try {
    telemetry.emit({ type: 'progress', source: 'sea', rows: 1, bytes: 0, totalRows: 10, done: false });
    const wide = await until(file, (t) => /resize test · sea/.test(t), 'the first frame');
    assert.ok(Math.max(...wide.split('\n').map(cells)) > 60, 'drawn 100 columns wide');
    assert.not.match(wide, /q quit/, 'stdin is not a terminal: no keys in the footer');
    const before = readFileSync(file).length;
    term.columns = 60;
    term.rows = 20;
    term.emit('resize');
    telemetry.emit({ type: 'progress', source: 'sea', rows: 5, bytes: 0, totalRows: 10, done: false });
    await until(file, (t) => readFileSync(file).length > before && /50\.0%/.test(t), 'a frame after the resize');
    await dash.stop();
    const after = lines(readFileSync(file).subarray(before).toString('utf8'));
    const last = after.map((l) => /resize test/.test(l)).lastIndexOf(true);
    const frame = after.slice(last);
    assert.ok(frame.length > 3, frame.join('\n'));
    for (const l of frame) assert.ok(cells(l) <= 60, `${cells(l)} cells: ${l}`);
    assert.ok(frame.length <= 20, `${frame.length} lines`);
  } finally {
    await dash.stop();
    closeSync(fd);
  }
});

test('a render worker that fails leaves the bus, the keys and stop() working', async () => {
  const telemetry = new Telemetry();
  const stdin = fakeStdin();
  const calls: string[] = [];
  const said: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => {
    said.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  // A descriptor that is not open: the worker's first frame fails.
  const dash = dashboard({
    telemetry,
    fd: 987,
    width: 80,
    height: 24,
    stdin: stdin as unknown as NodeJS.ReadStream,
    onQuit: () => calls.push('quit'),
    patchConsole: false,
  });
  try {
    const end = Date.now() + 30_000;
    while (!said.some((l) => /dashboard stopped drawing/.test(l)) && Date.now() < end) await sleep(100);
    assert.match(said.join(''), /sluice: the dashboard stopped drawing: .*EBADF/);
    telemetry.emit({ type: 'progress', source: 'sea', rows: 10, bytes: 0, done: false });
    assert.is(dash.store.snapshot().sources[0]?.rows, 10, 'the store still folds events');
    stdin.write('q');
    assert.equal(calls, ['quit']);
    assert.is(dash.store.runState, 'stopping');
    await dash.stop();
    assert.equal(stdin.modes, [true, false]);
  } finally {
    process.stderr.write = write;
    await dash.stop();
  }
});

test('options: a worker needs a descriptor; fps, renderIn and nice are checked', () => {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  assert.throws(
    () => dashboard({ telemetry: new Telemetry(), stdout: stream }),
    (e: unknown) => e instanceof SpecError && /dashboard\.stdout/.test(e.message),
  );
  assert.throws(
    () => dashboard({ telemetry: new Telemetry(), fps: 30 }),
    (e: unknown) => e instanceof SpecError && /dashboard\.fps/.test(e.message),
  );
  assert.throws(
    () => dashboard({ telemetry: new Telemetry(), renderIn: 'gpu' as 'main' }),
    (e: unknown) => e instanceof SpecError && /dashboard\.renderIn/.test(e.message),
  );
  assert.throws(
    () => dashboard({ telemetry: new Telemetry(), nice: -5 }),
    (e: unknown) => e instanceof SpecError && /dashboard\.nice/.test(e.message),
  );
});

test.after(() => rmSync(dir, { recursive: true, force: true }));

test.run();
