import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WebSocketServer } from 'ws';
import { sluice } from './sluice.js';

const HOST = '127.0.0.1';
const dir = mkdtempSync(join(tmpdir(), 'sluice-sockets-'));
const TRAIN = ['--target', 'y > 0', '--json', '--no-tui'];

/** `n` NDJSON rows whose label follows x, from row `from` on. */
function rows(n: number, from = 0): string {
  let s = '';
  for (let i = from; i < from + n; i++) {
    const x = (i * 7) % 100;
    s += `{"x":${x},"y":${x > 50 ? 1 : 0}}\n`;
  }
  return s;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, HOST, r));
  const p = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return p;
}

/** A TCP server on `port` that serves the n-th connection with `serve`. */
async function tcpServer(port: number, serve: (s: Socket, n: number) => void): Promise<{ server: Server; connections: () => number }> {
  let n = 0;
  const server = createServer((s) => {
    s.on('error', () => {});
    serve(s, ++n);
  });
  await new Promise<void>((r) => server.listen(port, HOST, r));
  return { server, connections: () => n };
}

/** Writes `text`, waits until the kernel has it, then resets the connection (RST, not FIN). */
function writeThenReset(s: Socket, text: string): void {
  // The pause lets loopback deliver what the kernel holds: a reset discards unsent bytes.
  s.write(text, () => setTimeout(() => s.resetAndDestroy(), 300));
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed JSON report.
function saved(out: string): { report: Record<string, any>; pipeline: boolean } {
  return { report: JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')), pipeline: existsSync(join(out, 'pipeline.json')) };
}

test('case 6: a WebSocket producer that terminates after 5000 rows: train --save writes report.json and pipeline.json', async () => {
  const wss = new WebSocketServer({ host: HOST, port: 0 });
  await once(wss, 'listening');
  let connections = 0;
  wss.on('connection', async (ws) => {
    connections++;
    const text = rows(5000);
    const lines = text.split('\n');
    // Ten messages of 500 rows; every send is flushed before the socket is torn down without a close frame.
    const sent = [];
    for (let i = 0; i < 5000; i += 500) sent.push(new Promise<void>((r) => ws.send(lines.slice(i, i + 500).join('\n'), () => r())));
    await Promise.all(sent);
    ws.terminate();
  });
  const out = join(dir, 'ws');
  try {
    const r = await sluice(['train', `ws://${HOST}:${(wss.address() as AddressInfo).port}`, ...TRAIN, '--save', out]);
    assert.is(r.code, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).rows.read, 5000);
    const files = saved(out);
    assert.is(files.report.rows.read, 5000);
    assert.ok(files.pipeline, 'pipeline.json');
    // Counted in the report, with the close code and the rows read by then.
    assert.equal(
      files.report.disconnects.map((d: { code: unknown; rows: number }) => [d.code, d.rows]),
      [[1006, 5000]],
    );
    // Reported on stderr with the address, the close code and the rows so far; by default no reconnect.
    assert.match(
      r.stderr,
      new RegExp(`warn ws://${HOST}:\\d+#1: connection closed abnormally \\(code 1006[^)]*\\) after 5000 rows; no reconnect: the stream ends here`),
    );
    assert.is(connections, 1);
  } finally {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
});

test('case 6: a TCP producer that resets after 5000 rows: train (listening) --save writes report.json and pipeline.json and warns', async () => {
  const out = join(dir, 'tcp-listen');
  let producer = null as Promise<void> | null;
  const r = await sluice(['train', `tcp://${HOST}:0`, ...TRAIN, '--save', out], (stderr) => {
    const m = /listening on [\d.]+:(\d+)/.exec(stderr);
    if (!m || producer) return;
    producer = new Promise<void>((resolve) => {
      const s = connect(Number(m[1]), HOST, () => writeThenReset(s, rows(5000)));
      s.on('error', () => {});
      s.on('close', () => resolve());
    });
  });
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).rows.read, 5000);
  const files = saved(out);
  assert.is(files.report.rows.read, 5000);
  assert.ok(files.pipeline, 'pipeline.json');
  assert.match(r.stderr, new RegExp(`warn tcp://${HOST}:\\d+#1: connection dropped \\(ECONNRESET[^)]*\\) after 5000 rows`));
});

test('case 6: a TCP server that resets after 5000 rows: train --connect --save ends the stream there, exit 0', async () => {
  const port = await freePort();
  const { server, connections } = await tcpServer(port, (s) => writeThenReset(s, rows(5000)));
  const out = join(dir, 'tcp-connect');
  try {
    const r = await sluice(['train', `tcp://${HOST}:${port}`, '--connect', ...TRAIN, '--save', out]);
    assert.is(r.code, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).rows.read, 5000);
    const files = saved(out);
    assert.is(files.report.rows.read, 5000);
    assert.ok(files.pipeline, 'pipeline.json');
    assert.match(
      r.stderr,
      new RegExp(`warn tcp://${HOST}:${port}#1: connection dropped \\(ECONNRESET[^)]*\\) after 5000 rows; no reconnect: the stream ends here`),
    );
    // The default is no reconnect.
    assert.is(connections(), 1);
  } finally {
    server.close();
  }
});

test('case 6: --connect --reconnect started before the server exists retries, trains once it is up, and reconnects after a reset', async () => {
  const port = await freePort();
  let started = null as Promise<{ server: Server; connections: () => number }> | null;
  const r = await sluice(['train', `tcp://${HOST}:${port}`, '--connect', '--reconnect', '--backoff', '20', '--max-retries', '100', ...TRAIN], (stderr) => {
    // The server comes up once the client has been refused at least twice.
    if (started || (stderr.match(/cannot connect/g) ?? []).length < 2) return;
    started = tcpServer(port, (s, n) => {
      if (n === 1) writeThenReset(s, rows(200));
      else s.end(rows(100, 200));
    });
  });
  assert.ok(started, r.stderr);
  const { server, connections } = await started!;
  server.close();
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).rows.read, 300);
  assert.match(r.stderr, new RegExp(`warn tcp://${HOST}:${port}: cannot connect: .*ECONNREFUSED.*; retry 1/100 in 20 ms`));
  assert.match(r.stderr, new RegExp(`warn tcp://${HOST}:${port}#1: connection dropped \\(ECONNRESET[^)]*\\) after 200 rows; retry 1/100 in 20 ms`));
  assert.is(connections(), 2);
});

test('case 6: --reconnect gives up after --max-retries, naming the address and the attempts (exit 1); without it a refused connect fails at once', async () => {
  const port = await freePort();
  const spent = await sluice(['train', `tcp://${HOST}:${port}`, '--connect', '--reconnect', '--backoff', '10', '--max-retries', '2', ...TRAIN]);
  assert.is(spent.code, 1, spent.stderr);
  assert.match(spent.stderr, new RegExp(`tcp://${HOST}:${port}: cannot connect: .*ECONNREFUSED.*; gave up after 2 retries`));
  assert.is((spent.stderr.match(/warn .*retry \d\/2 in/g) ?? []).length, 2);
  const once_ = await sluice(['train', `tcp://${HOST}:${port}`, '--connect', ...TRAIN]);
  assert.is(once_.code, 1, once_.stderr);
  assert.match(once_.stderr, new RegExp(`tcp://${HOST}:${port}: cannot connect: .*ECONNREFUSED`));
  assert.not.match(once_.stderr, /retry/);
});

test('case 6: a WebSocket source with --reconnect resumes after an abnormal close', async () => {
  const wss = new WebSocketServer({ host: HOST, port: 0 });
  await once(wss, 'listening');
  let connections = 0;
  wss.on('connection', (ws) => {
    const n = ++connections;
    if (n === 1) ws.send(rows(200), () => ws.terminate());
    else ws.send(rows(100, 200), () => ws.close(1000));
  });
  try {
    const r = await sluice(['train', `ws://${HOST}:${(wss.address() as AddressInfo).port}`, '--reconnect', '--backoff', '20', ...TRAIN]);
    assert.is(r.code, 0, r.stderr);
    assert.is(JSON.parse(r.stdout).rows.read, 300);
    assert.match(r.stderr, /#1: connection closed abnormally \(code 1006[^)]*\) after 200 rows; retry 1\/10 in 20 ms/);
    assert.is(connections, 2);
  } finally {
    await new Promise((r) => wss.close(r));
  }
});

test("case 6: the spec's reconnect key reaches the client", async () => {
  const port = await freePort();
  const spec = join(dir, 'reconnect.json');
  writeFileSync(
    spec,
    JSON.stringify({
      source: { tcp: { connect: `${HOST}:${port}` }, reconnect: true, backoff: 15, maxRetries: 100 },
      steps: [{ standardize: ['x'] }],
      target: 'y > 0',
    }),
  );
  let started = null as Promise<{ server: Server; connections: () => number }> | null;
  const r = await sluice(['run', spec, '--json', '--no-tui'], (stderr) => {
    if (!started && /cannot connect/.test(stderr)) started = tcpServer(port, (s) => s.end(rows(250)));
  });
  assert.ok(started, r.stderr);
  (await started!).server.close();
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).rows.read, 250);
  assert.match(r.stderr, /retry 1\/100 in 15 ms/);
});

test('case 6: reconnect flags and keys are checked: only for client sockets, --backoff/--max-retries need --reconnect', async () => {
  const listen = await sluice(['train', `tcp://${HOST}:0`, '--reconnect', ...TRAIN]);
  assert.is(listen.code, 2);
  assert.match(listen.stderr, /--reconnect: applies to a client socket \(tcp:\/\/host:port with --connect, or ws:\/\/\.\.\.\)/);
  const file = await sluice(['train', 'node_modules/vega-datasets/data/seattle-weather.csv', '--reconnect', '--target', 'wind']);
  assert.is(file.code, 2);
  assert.match(file.stderr, /--reconnect: applies to a client socket/);
  const backoff = await sluice(['train', `tcp://${HOST}:1`, '--connect', '--backoff', '10', ...TRAIN]);
  assert.is(backoff.code, 2);
  assert.match(backoff.stderr, /--backoff: needs --reconnect/);
  const retries = await sluice(['train', `tcp://${HOST}:1`, '--connect', '--reconnect', '--max-retries=-1', ...TRAIN]);
  assert.is(retries.code, 2);
  assert.match(retries.stderr, /--max-retries: expected an integer ≥ 0, got "-1"/);
  const spec = join(dir, 'listen-reconnect.json');
  writeFileSync(spec, JSON.stringify({ source: { tcp: { listen: 0 }, reconnect: true }, target: 'y > 0' }));
  const run = await sluice(['run', spec, '--json', '--no-tui']);
  assert.is(run.code, 2);
  assert.match(run.stderr, /source\.reconnect: a tcp server \(listen\) does not reconnect/);
});

test.run();
