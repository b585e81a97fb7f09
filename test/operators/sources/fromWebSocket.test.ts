import { once } from 'node:events';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type WebSocket, WebSocketServer } from 'ws';
import { asyncMap, SourceError, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { fromWebSocket } from '../../../src/operators/index.js';

async function server_(onConnection: (ws: WebSocket, n: number) => void): Promise<{ url: string; wss: WebSocketServer }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  let n = 0;
  wss.on('connection', (ws) => onConnection(ws, ++n));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, wss };
}
const close = (wss: WebSocketServer) =>
  new Promise((r) => {
    for (const c of wss.clients) c.terminate();
    wss.close(r);
  });
const events = (t: Telemetry) => {
  const ev: TelemetryEvent[] = [];
  const sub = t.events$.subscribe((e) => ev.push(e));
  return { ev, stop: () => sub.unsubscribe() };
};

test('NDJSON messages carrying several lines; a message ends a line; line numbers; normal close completes', async () => {
  const { url, wss } = await server_((ws) => {
    ws.send('{"a":1,"s":"x"}\n{"a":2,"s":"y"}\n');
    ws.send('{"a":3,"s":"x"}'); // no trailing newline: still one line
    ws.send('{"a":"four","s":"z"}\n{"a":5,"s":"y"}');
    ws.close(1000);
  });
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const bs = await lastValueFrom(fromWebSocket(url, { telemetry, schema: { a: 'integer', s: 'category' } }).pipe(toArray()));
  stop();
  await close(wss);
  assert.equal(
    bs.flatMap((b) => b.toRows()),
    [
      { a: 1, s: 'x' },
      { a: 2, s: 'y' },
      { a: 3, s: 'x' },
      { a: 5, s: 'y' },
    ],
  );
  assert.equal(
    bs.flatMap((b) => [...b.lines!]),
    [1, 2, 3, 5],
  );
  const sk = ev.find((e) => e.type === 'skipped');
  assert.ok(sk?.type === 'skipped' && sk.line === 4 && sk.reason === 'number');
  const acc = ev.filter((e) => e.type === 'account' && e.done);
  assert.ok(acc.length === 1 && acc[0]!.type === 'account' && acc[0]!.read === 5 && acc[0]!.skipped === 1);
});

test('CSV over WebSocket with a header message', async () => {
  const { url, wss } = await server_((ws) => {
    ws.send('k,v\n');
    ws.send('a,1\nb,2\n');
    ws.send('c,3');
    ws.close(1000);
  });
  const bs = await lastValueFrom(fromWebSocket(url, { format: 'csv' }).pipe(toArray()));
  await close(wss);
  assert.equal(
    bs.flatMap((b) => b.toRows()),
    [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
      { k: 'c', v: 3 },
    ],
  );
});

test('a full queue pauses the socket: sent-but-unconsumed bytes stay bounded; rows arrive once and in order', async () => {
  const MESSAGES = 3000,
    PER = 20,
    LINE = 400;
  const line = (i: number) => {
    const head = `{"i":${i},"pad":"`;
    return `${head + 'p'.repeat(LINE - head.length - 3)}"}\n`;
  };
  let sent = 0,
    maxInFlight = 0,
    consumed = 0;
  let server: WebSocket | null = null;
  const { url, wss } = await server_((ws) => {
    server = ws;
    (async () => {
      for (let m = 0; m < MESSAGES; m++) {
        let msg = '';
        for (let k = 0; k < PER; k++) msg += line(m * PER + k);
        ws.send(msg);
        sent += msg.length;
        // The server itself honours backpressure: it waits while its own send buffer is full.
        while (ws.bufferedAmount > 1 << 20) await new Promise((r) => setTimeout(r, 2));
      }
      ws.close(1000);
    })();
  });
  const telemetry = new Telemetry();
  let maxDepth = 0;
  const sub = telemetry.on('queue').subscribe((e) => {
    maxDepth = Math.max(maxDepth, e.depth);
  });
  const seen: number[] = [];
  await lastValueFrom(
    fromWebSocket(url, { telemetry, capacity: 2, highWaterMark: 64 << 10, batchSize: 200, schema: { i: 'integer' } }).pipe(
      asyncMap(async (b) => {
        await new Promise((r) => setTimeout(r, 2));
        const c = b.column('i');
        if (c.type === 'integer') seen.push(...c.values);
        consumed += b.length * LINE;
        // Bytes that left the server (past its send buffer) and are not consumed yet: kernel
        // buffers plus what the client holds. Without pausing, the client would hold nearly all.
        maxInFlight = Math.max(maxInFlight, sent - (server?.bufferedAmount ?? 0) - consumed);
        return null;
      }),
      toArray(),
    ),
  );
  sub.unsubscribe();
  await close(wss);
  const total = MESSAGES * PER * LINE;
  assert.ok(maxDepth <= 2, `queue depth ${maxDepth}`);
  assert.is(seen.length, MESSAGES * PER);
  assert.ok(
    seen.every((v, i) => v === i),
    'in order, once each',
  );
  console.log(`    in flight max ${(maxInFlight / 2 ** 20).toFixed(1)} MiB of ${(total / 2 ** 20).toFixed(1)} MiB`);
  assert.ok(maxInFlight < total / 2, `in flight ${maxInFlight} of ${total} bytes`);
});

test('reconnects after an abnormal close with a log event; a refused connection without reconnect is a SourceError', async () => {
  const { url, wss } = await server_((ws, n) => {
    if (n === 1) {
      ws.send('{"n":1}\n{"n":2}\n');
      setTimeout(() => ws.terminate(), 100);
    } else {
      ws.send('{"n":3}\n');
      ws.close(1000);
    }
  });
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const bs = await lastValueFrom(fromWebSocket(url, { telemetry, reconnect: { initialDelayMs: 10, maxRetries: 3 }, schema: { n: 'integer' } }).pipe(toArray()));
  stop();
  await close(wss);
  assert.equal(
    bs.flatMap((b) => b.toRows()),
    [{ n: 1 }, { n: 2 }, { n: 3 }],
  );
  assert.equal(
    bs.flatMap((b) => [...b.rowIds]),
    [0, 1, 2],
  );
  assert.ok(
    ev.some((e) => e.type === 'log' && e.message === `${url}#1: connection closed abnormally (code 1006) after 2 rows; retry 1/3 in 10 ms`),
    JSON.stringify(ev.filter((e) => e.type === 'log')),
  );
  try {
    await lastValueFrom(fromWebSocket(url));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, /cannot connect/);
  }
  assert.throws(
    () => fromWebSocket('http://x'),
    (e: unknown) => e instanceof SpecError && /url/.test((e as Error).message),
  );
  assert.throws(
    () => fromWebSocket(url, { reconnectOnClose: true }),
    (e: unknown) => e instanceof SpecError && /reconnectOnClose: needs reconnect/.test((e as Error).message),
  );
});

test('case 6: without reconnect (the default) an abnormal close after rows ends the stream with a disconnect event; close() without a code is normal', async () => {
  const { url, wss } = await server_((ws, n) => {
    if (n === 1) ws.send('{"n":1}\n{"n":2}\n', () => ws.terminate());
    else if (n === 2) ws.send('{"n":3}\n', () => ws.close(1011, 'producer failed'));
    else ws.send('{"n":4}\n', () => ws.close());
  });
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const run = async () => (await lastValueFrom(fromWebSocket(url, { telemetry, schema: { n: 'integer' } }).pipe(toArray()))).flatMap((b) => b.toRows());
  assert.equal(await run(), [{ n: 1 }, { n: 2 }]);
  assert.equal(await run(), [{ n: 3 }]);
  assert.equal(await run(), [{ n: 4 }]);
  stop();
  await close(wss);
  const drops = ev.flatMap((e) => (e.type === 'disconnect' ? [[e.source, e.connection, e.code, e.rows, e.count, e.reconnecting]] : []));
  // Each run is its own source: rows and counts are per source.
  assert.equal(drops, [
    [url, 1, 1006, 2, 1, false],
    [url, 1, 1011, 1, 1, false],
  ]);
  const warns = ev.flatMap((e) => (e.type === 'log' ? [e.message] : []));
  assert.equal(warns, [
    `${url}#1: connection closed abnormally (code 1006) after 2 rows; no reconnect: the stream ends here`,
    `${url}#1: connection closed abnormally (code 1011, producer failed) after 1 row; no reconnect: the stream ends here`,
  ]);
  assert.is(ev.filter((e) => e.type === 'account' && e.done).length, 3);
});

test.run();
