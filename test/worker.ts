/**
 * A test worker, started by test/run.ts (never by hand). It imports test files one after another,
 * as the runner sends their paths over IPC, and runs the suites each file queues, so Node, tsx and
 * the src/ module graph start once per worker instead of once per file.
 *
 * It talks back on fd 1, in order with whatever the tests print there (the runner attributes every
 * line between two results to the file in between): `\x01SLUICE test <name>` as a test starts,
 * `pass` or `fail <failure block>` as it ends, `done {skipped,rss}` after the file. Records are JSON
 * on one line. Writes go through fs.writeSync(1), so a test that swaps process.stdout.write
 * cannot swallow them.
 */
import { writeSync } from 'node:fs';
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { formatFailure, takeSuites } from './uvu.js';

// The bare specifier 'uvu' (not 'uvu/assert' or 'uvu/diff') resolves to test/uvu.ts, which hands
// queued suites to this worker instead of to uvu's process-wide globals.
const shim = new URL('./uvu.ts', import.meta.url).href;
const hook = `let shim;
export async function initialize(data) { shim = data.shim; }
export async function resolve(specifier, context, next) {
  return specifier === 'uvu' ? { url: shim, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`, { data: { shim } });

function send(kind: string, payload: unknown): void {
  writeSync(1, `\n\x01SLUICE ${kind} ${JSON.stringify(payload)}\n`);
}

const events = {
  start: (test: string) => send('test', test),
  pass: () => send('pass', null),
  fail: (failure: string) => send('fail', failure),
};

async function runFile(file: string): Promise<number> {
  takeSuites(); // a stray late run() from an earlier file must not run here
  try {
    await import(pathToFileURL(file).href);
  } catch (err) {
    // A file that cannot load counts as one failed test, and the run goes on.
    events.fail(formatFailure(err, '(loading the file)', ''));
    return 0;
  }
  const suites = takeSuites();
  if (suites.length === 0) events.fail('  FAIL the file queued no suite: does it end with test.run()?\n');
  let skipped = 0;
  for (const run of suites) skipped += await run(events);
  return skipped;
}

process.on('message', (msg: { file: string }) => {
  void runFile(msg.file).then((skipped) => send('done', { skipped, rss: process.memoryUsage.rss() }));
});
// The runner closes the channel when the queue is empty or when it retires this worker. Exit
// explicitly: a WebGPU instance, socket or timer left open by a test must not keep it alive.
process.on('disconnect', () => process.exit(0));
