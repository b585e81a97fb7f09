import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { once } from 'node:events';
import { lastValueFrom, toArray } from 'rxjs';
import { WebSocketServer, type WebSocket } from 'ws';
import { fromWebSocket } from '../../../src/operators/index.js';
import { SourceError, SpecError, Telemetry, asyncMap, type TelemetryEvent } from '../../../src/core/index.js';

async function server(onConnection: (ws: WebSocket, n: number) => void): Promise<{ url: string; wss: WebSocketServer }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  let n = 0;
  wss.on('connection', (ws) => onConnection(ws, ++n));
  return { url: `ws://127.0.0.1:${(wss.address() as { port: number }).port}`, wss };
}
const close = (wss: WebSocketServer) => new Promise((r) => { for (const c of wss.clients) c.terminate(); wss.close(r); });
const events = (t: Telemetry) => { const ev: TelemetryEvent[] = []; const sub = t.events$.subscribe((e) => ev.push(e)); return { ev, stop: () => sub.unsubscribe() }; };

test('NDJSON messages carrying several lines; a message ends a line; line numbers; normal close completes', async () => {
  const { url, wss } = await server((ws) => {
    ws.send('{"a":1,"s":"x"}\n{"a":2,"s":"y"}\n');
    ws.send('{"a":3,"s":"x"}');          // no trailing newline: still one line
    ws.send('{"a":"four","s":"z"}\n{"a":5,"s":"y"}');
    ws.close(1000);
  });
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const bs = await lastValueFrom(fromWebSocket(url, { telemetry, schema: { a: 'integer', s: 'category' } }).pipe(toArray()));
  stop();
  await close(wss);
  assert.equal(bs.flatMap((b) => b.toRows()), [{ a: 1, s: 'x' }, { a: 2, s: 'y' }, { a: 3, s: 'x' }, { a: 5, s: 'y' }]);
  assert.equal(bs.flatMap((b) => [...b.lines!]), [1, 2, 3, 5]);
  const sk = ev.find((e) => e.type === 'skipped');
  assert.ok(sk?.type === 'skipped' && sk.line === 4 && sk.reason === 'number');
  const acc = ev.filter((e) => e.type === 'account' && e.done);
  assert.ok(acc.length === 1 && acc[0]!.type === 'account' && acc[0]!.read === 5 && acc[0]!.skipped === 1);
});

test('CSV over WebSocket with a header message', async () => {
  const { url, wss } = await server((ws) => { ws.send('k,v\n'); ws.send('a,1\nb,2\n'); ws.send('c,3'); ws.close(1000); });
  const bs = await lastValueFrom(fromWebSocket(url, { format: 'csv' }).pipe(toArray()));
  await close(wss);
  assert.equal(bs.flatMap((b) => b.toRows()), [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: 3 }]);
});

test('a full queue pauses the socket: the server sees its send buffer grow; rows arrive once and in order', async () => {
  const MESSAGES = 1500, PER = 20, PAD = 'p'.repeat(400);
  let maxBuffered = 0;
  const { url, wss } = await server((ws) => {
    (async () => {
      for (let m = 0; m < MESSAGES; m++) {
        let msg = '';
        for (let k = 0; k < PER; k++) msg += JSON.stringify({ i: m * PER + k, pad: PAD }) + '\n';
        ws.send(msg);
        maxBuffered = Math.max(maxBuffered, ws.bufferedAmount);
        if (ws.bufferedAmount > 4 << 20) while (ws.bufferedAmount > 1 << 20) await new Promise((r) => setTimeout(r, 5));
      }
      ws.close(1000);
    })();
  });
  const telemetry = new Telemetry();
  let maxDepth = 0;
  const sub = telemetry.on('queue').subscribe((e) => { maxDepth = Math.max(maxDepth, e.depth); });
  const seen: number[] = [];
  await lastValueFrom(fromWebSocket(url, { telemetry, capacity: 2, highWaterMark: 64 << 10, schema: { i: 'integer' } }).pipe(
    asyncMap(async (b) => {
      await new Promise((r) => setTimeout(r, 2));
      const c = b.column('i');
      if (c.type === 'integer') seen.push(...c.values);
      return null;
    }),
    toArray(),
  ));
  sub.unsubscribe();
  await close(wss);
  assert.ok(maxDepth <= 2, `queue depth ${maxDepth}`);
  assert.is(seen.length, MESSAGES * PER);
  assert.ok(seen.every((v, i) => v === i), 'in order, once each');
  // 12 MiB sent to a paused reader: the excess waits in the server's own send buffer.
  assert.ok(maxBuffered > 1 << 20, `server send buffer peaked at ${maxBuffered} bytes`);
});

test('reconnects after an abnormal close with a log event; a refused connection without reconnect is a SourceError', async () => {
  const { url, wss } = await server((ws, n) => {
    if (n === 1) { ws.send('{"n":1}\n{"n":2}\n'); setTimeout(() => ws.terminate(), 100); }
    else { ws.send('{"n":3}\n'); ws.close(1000); }
  });
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const bs = await lastValueFrom(fromWebSocket(url, { telemetry, reconnect: { initialDelayMs: 10, maxRetries: 3 }, schema: { n: 'integer' } }).pipe(toArray()));
  stop();
  await close(wss);
  assert.equal(bs.flatMap((b) => b.toRows()), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  assert.equal(bs.flatMap((b) => [...b.rowIds]), [0, 1, 2]);
  assert.ok(ev.some((e) => e.type === 'log' && /connection 1 closed abnormally \(code 1006/.test(e.message)));
  try { await lastValueFrom(fromWebSocket(url)); assert.unreachable(); }
  catch (e) { assert.instance(e, SourceError); assert.match((e as Error).message, /cannot connect/); }
  assert.throws(() => fromWebSocket('http://x'), (e: unknown) => e instanceof SpecError && /url/.test((e as Error).message));
});

test.run();
