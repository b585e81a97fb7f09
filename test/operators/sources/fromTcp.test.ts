import { connect, createServer, type Server, type Socket } from 'node:net';
import { lastValueFrom, type Observable, Subject, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BadInputError, type Batch, SourceError, SpecError, Telemetry, type TelemetryEvent } from '../../../src/core/index.js';
import { fromTcp } from '../../../src/operators/index.js';

const HOST = '127.0.0.1';

/** Subscribes, waits for the port, and returns it with the collected result. */
async function start(make: (onListening: (a: { port: number }) => void) => Observable<Batch>) {
  let resolvePort!: (p: number) => void;
  const port = new Promise<number>((r) => {
    resolvePort = r;
  });
  const done = lastValueFrom(make((a) => resolvePort(a.port)).pipe(toArray()));
  done.catch(() => {});
  return { port: await Promise.race([port, done.then(() => -1)]), done };
}

function send(port: number, text: string, chunk = 7): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, HOST, async () => {
      for (let i = 0; i < text.length; i += chunk) {
        s.write(text.slice(i, i + chunk));
        await new Promise((r) => setImmediate(r));
      }
      s.end(resolve);
    });
    s.on('error', reject);
  });
}

const events = (t: Telemetry) => {
  const ev: TelemetryEvent[] = [];
  const sub = t.events$.subscribe((e) => ev.push(e));
  return { ev, stop: () => sub.unsubscribe() };
};

test('server: many NDJSON clients merge into one stream; order, line numbers per connection, shared codes, books', async () => {
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const { port, done } = await start((onListening) =>
    fromTcp({ listen: 0, maxConnections: 3, telemetry, onListening, schema: { client: 'category', seq: 'integer', v: 'number' }, batchSize: 5 }),
  );
  const texts = [0, 1, 2].map(
    (c) =>
      `${Array.from({ length: 40 }, (_, i) =>
        c === 1 && i === 9 ? '{"client":"c1","seq":"bad"}' : JSON.stringify({ client: `c${c}`, seq: i, v: i / 2 }),
      ).join('\n')}\n`,
  );
  await Promise.all(texts.map((t) => send(port, t)));
  const bs = await done;
  stop();
  const rows = bs.flatMap((b) => b.toRows());
  assert.is(rows.length, 119);
  for (const c of [0, 1, 2]) {
    const seqs = rows.filter((r) => r.client === `c${c}`).map((r) => r.seq);
    assert.equal(
      seqs,
      Array.from({ length: 40 }, (_, i) => i).filter((i) => !(c === 1 && i === 9)),
      `client ${c}`,
    );
  }
  assert.equal(
    bs.flatMap((b) => [...b.rowIds]),
    Array.from({ length: 119 }, (_, i) => i),
  );
  const dicts = new Set(
    bs.map((b) => {
      const c = b.column('client');
      return 'dictionary' in c ? c.dictionary : null;
    }),
  );
  assert.is(dicts.size, 1);
  const skipped = ev.filter((e) => e.type === 'skipped');
  assert.is(skipped.length, 1);
  assert.ok(skipped[0]?.type === 'skipped' && skipped[0].line === 10 && skipped[0].reason === 'number');
  const acc = ev.filter((e) => e.type === 'account' && e.done);
  assert.is(acc.length, 1);
  assert.ok(acc[0]?.type === 'account' && acc[0].source === `tcp://${HOST}:${port}` && acc[0].read === 120 && acc[0].passed === 119 && acc[0].skipped === 1);
});

test('server: CSV connections with header lines, and header: false with a declared schema', async () => {
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const { port, done } = await start((onListening) =>
    fromTcp({ listen: 0, maxConnections: 2, format: 'csv', telemetry, onListening, schema: { a: 'integer', b: 'category' } }),
  );
  await Promise.all([send(port, 'a,b\n1,x\n2,y\n'), send(port, 'b,a\nz,3\nw,oops\n')]);
  const bs = await done;
  stop();
  const rows = bs.flatMap((b) => b.toRows());
  assert.equal(
    rows.sort((p, q) => (p.a as number) - (q.a as number)),
    [
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z' },
    ],
  );
  const sk = ev.filter((e) => e.type === 'skipped');
  assert.ok(sk.length === 1 && sk[0]!.type === 'skipped' && sk[0]!.line === 3 && sk[0]!.source.startsWith(`tcp://${HOST}:${port}#`));
  // Source-wide books sum both connections' (each CSV connection keeps its own).
  const acc = ev.filter((e) => e.type === 'account' && e.source === `tcp://${HOST}:${port}`);
  assert.is(acc.length, 1);
  assert.ok(acc[0]!.type === 'account' && acc[0]!.read === 4 && acc[0]!.passed === 3 && acc[0]!.skipped === 1 && acc[0]!.done);
  const dicts = new Set(
    bs.map((b) => {
      const c = b.column('b');
      return 'dictionary' in c ? c.dictionary : null;
    }),
  );
  assert.is(dicts.size, 1);

  const second = await start((onListening) =>
    fromTcp({ listen: 0, maxConnections: 1, format: 'csv', header: false, onListening, schema: { a: 'integer', b: 'category' } }),
  );
  await send(second.port, '7,p\n8,q\n');
  assert.equal(
    (await second.done).flatMap((b) => b.toRows()),
    [
      { a: 7, b: 'p' },
      { a: 8, b: 'q' },
    ],
  );
});

test('server: fail policy names the connection, line and column', async () => {
  const { port, done } = await start((onListening) => fromTcp({ listen: 0, maxConnections: 1, badRows: 'fail', onListening, schema: { x: 'number' } }));
  await send(port, '{"x":1}\n{"x":2}\n{"x":true}\n').catch(() => {});
  try {
    await done;
    assert.unreachable();
  } catch (e) {
    assert.instance(e, BadInputError);
    assert.ok((e as Error).message.startsWith(`tcp://${HOST}:${port}#1:3:6:`), (e as Error).message);
  }
});

test('server: a port in use is a SourceError naming the port; options checked at creation', async () => {
  const blocker: Server = createServer();
  await new Promise<void>((r) => blocker.listen(0, HOST, r));
  const port = (blocker.address() as { port: number }).port;
  const telemetry = new Telemetry();
  try {
    await lastValueFrom(fromTcp({ listen: port, telemetry }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, new RegExp(`port ${port} is already in use`));
  } finally {
    blocker.close();
  }
  assert.throws(
    () => fromTcp({}),
    (e: unknown) => e instanceof SpecError,
  );
  assert.throws(
    () => fromTcp({ listen: 70000 }),
    (e: unknown) => e instanceof SpecError && /listen/.test((e as Error).message),
  );
  assert.throws(
    () => fromTcp({ connect: 'nohost' }),
    (e: unknown) => e instanceof SpecError && /connect/.test((e as Error).message),
  );
  assert.throws(
    () => fromTcp({ connect: 'h:1', reconnect: { factor: 0.5 } }),
    (e: unknown) => e instanceof SpecError && /reconnect\.factor/.test((e as Error).message),
  );
  assert.throws(
    () => fromTcp({ listen: 0, format: 'csv', header: false }),
    (e: unknown) => e instanceof SpecError && /header/.test((e as Error).message),
  );
});

test('server: unsubscribing closes the port and the open connections', async () => {
  let port = 0;
  const got = new Subject<number>();
  const sub = fromTcp({
    listen: 0,
    onListening: (a) => {
      port = a.port;
      got.next(a.port);
    },
  }).subscribe();
  await new Promise<void>((r) => {
    const s = got.subscribe(() => {
      s.unsubscribe();
      r();
    });
    if (port) r();
  });
  const client: Socket = connect(port, HOST);
  await new Promise((r) => client.once('connect', r));
  const closed = new Promise((r) => client.once('close', r));
  client.on('error', () => {});
  await new Promise((r) => setTimeout(r, 20));
  sub.unsubscribe();
  await closed;
  const refused = await new Promise<boolean>((r) => {
    const c = connect(port, HOST);
    c.once('connect', () => {
      c.destroy();
      r(false);
    });
    c.once('error', () => r(true));
  });
  assert.ok(refused, 'port is closed');
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, HOST, r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

test('client: retries with backoff and log events until the server is up, reconnects after a drop', async () => {
  const port = await freePort();
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const result = lastValueFrom(
    fromTcp({
      connect: `${HOST}:${port}`,
      telemetry,
      reconnect: { initialDelayMs: 20, factor: 2, maxDelayMs: 80, maxRetries: 50 },
      schema: { n: 'integer' },
    }).pipe(toArray()),
  );
  // Let a few attempts fail first.
  await new Promise((r) => setTimeout(r, 200));
  let conns = 0;
  const server = createServer((s) => {
    conns++;
    if (conns === 1) {
      s.write('{"n":1}\n{"n":2}\n');
      setTimeout(() => s.resetAndDestroy(), 150);
    } else s.end('{"n":3}\n');
  });
  await new Promise<void>((r) => server.listen(port, HOST, r));
  const rows = (await result).flatMap((b) => b.toRows());
  server.close();
  stop();
  assert.equal(rows, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  const logs = ev.filter((e) => e.type === 'log').map((e) => (e.type === 'log' ? e.message : ''));
  assert.ok(logs.filter((m) => /cannot connect/.test(m)).length >= 2, logs.join('\n'));
  assert.ok(
    logs.some((m) => new RegExp(`^tcp://${HOST}:${port}#1: connection dropped \\(ECONNRESET\\) after 2 rows; retry 1/50 in 20 ms$`).test(m)),
    logs.join('\n'),
  );
  const drops = ev.filter((e) => e.type === 'disconnect');
  assert.equal(
    drops.map((e) => e.type === 'disconnect' && [e.source, e.connection, e.code, e.rows, e.count, e.reconnecting]),
    [[`tcp://${HOST}:${port}`, 1, 'ECONNRESET', 2, 1, true]],
  );
  // Delays grow by the factor up to the cap.
  const delays = logs.filter((m) => /cannot connect/.test(m)).map((m) => Number(/in (\d+) ms/.exec(m)![1]));
  assert.equal(delays.slice(0, 4), [20, 40, 80, 80].slice(0, Math.min(4, delays.length)));
  assert.is(conns, 2);
});

test('client: gives up after maxRetries with a SourceError', async () => {
  const port = await freePort();
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  try {
    await lastValueFrom(fromTcp({ connect: `${HOST}:${port}`, telemetry, reconnect: { initialDelayMs: 1, maxRetries: 3 } }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, new RegExp(`tcp://${HOST}:${port}: cannot connect: .*ECONNREFUSED.*; gave up after 3 retries$`));
  }
  stop();
  assert.is(ev.filter((e) => e.type === 'log').length, 3);
});

test('case 6: client without reconnect (the default): a refused connect fails at once; a reset after rows ends the stream with a disconnect event', async () => {
  const port = await freePort();
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const t0 = Date.now();
  try {
    await lastValueFrom(fromTcp({ connect: `${HOST}:${port}`, telemetry }));
    assert.unreachable();
  } catch (e) {
    assert.instance(e, SourceError);
    assert.match((e as Error).message, new RegExp(`^tcp://${HOST}:${port}: cannot connect: connect ECONNREFUSED`));
  }
  assert.ok(Date.now() - t0 < 1000, 'no retry delay');
  assert.is(ev.filter((e) => e.type === 'log').length, 0);
  let conns = 0;
  const server = createServer((s) => {
    conns++;
    s.write('{"n":1}\n{"n":2}\n{"n":3}\n', () => setTimeout(() => s.resetAndDestroy(), 100));
  });
  await new Promise<void>((r) => server.listen(port, HOST, r));
  const bs = await lastValueFrom(fromTcp({ connect: `${HOST}:${port}`, telemetry, schema: { n: 'integer' } }).pipe(toArray()));
  server.close();
  stop();
  assert.equal(
    bs.flatMap((b) => b.toRows()),
    [{ n: 1 }, { n: 2 }, { n: 3 }],
  );
  assert.is(conns, 1);
  const drop = ev.find((e) => e.type === 'disconnect');
  assert.ok(drop?.type === 'disconnect' && drop.code === 'ECONNRESET' && drop.rows === 3 && drop.count === 1 && !drop.reconnecting, JSON.stringify(drop));
  assert.ok(
    ev.some(
      (e) =>
        e.type === 'log' &&
        e.level === 'warn' &&
        e.message === `tcp://${HOST}:${port}#1: connection dropped (ECONNRESET) after 3 rows; no reconnect: the stream ends here`,
    ),
  );
  const acc = ev.filter((e) => e.type === 'account' && e.done);
  assert.ok(acc.length === 1 && acc[0]!.type === 'account' && acc[0]!.read === 3);
});

test('case 6: client with reconnect: retries spent after rows end the stream (no error); reconnect: true takes the default timing', async () => {
  const port = await freePort();
  const server = createServer((s) => {
    s.write('{"n":1}\n', () =>
      setTimeout(() => {
        s.resetAndDestroy();
        server.close();
      }, 100),
    );
  });
  await new Promise<void>((r) => server.listen(port, HOST, r));
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const bs = await lastValueFrom(
    fromTcp({ connect: `${HOST}:${port}`, telemetry, reconnect: { initialDelayMs: 5, maxRetries: 2 }, schema: { n: 'integer' } }).pipe(toArray()),
  );
  stop();
  assert.equal(
    bs.flatMap((b) => b.toRows()),
    [{ n: 1 }],
  );
  const logs = ev.flatMap((e) => (e.type === 'log' ? [e.message] : []));
  assert.is(logs.length, 3, logs.join('\n'));
  assert.match(logs[2]!, new RegExp(`^tcp://${HOST}:${port}: cannot connect: .*ECONNREFUSED.*; gave up after 2 retries: the stream ends here$`));
  // `true`: Backoff's defaults (first retry after 100 ms).
  const t = new Telemetry();
  const e2 = events(t);
  const sub = fromTcp({ connect: `${HOST}:${port}`, telemetry: t, reconnect: true }).subscribe({ error: () => {} });
  await new Promise((r) => setTimeout(r, 50));
  sub.unsubscribe();
  e2.stop();
  assert.ok(
    e2.ev.some((e) => e.type === 'log' && /retry 1\/10 in 100 ms$/.test(e.message)),
    JSON.stringify(e2.ev),
  );
});

test('case 6: server: a reset connection is a disconnect event and a warning with the rows so far; reconnect is refused in server mode', async () => {
  const telemetry = new Telemetry();
  const { ev, stop } = events(telemetry);
  const { port, done } = await start((onListening) => fromTcp({ listen: 0, maxConnections: 1, telemetry, onListening, schema: { n: 'integer' } }));
  const s = connect(port, HOST, () => s.write('{"n":1}\n{"n":2}\n', () => setTimeout(() => s.resetAndDestroy(), 100)));
  s.on('error', () => {});
  const bs = await done;
  stop();
  assert.equal(
    bs.flatMap((b) => b.toRows()),
    [{ n: 1 }, { n: 2 }],
  );
  const drop = ev.find((e) => e.type === 'disconnect');
  assert.ok(
    drop?.type === 'disconnect' &&
      drop.source === `tcp://${HOST}:${port}` &&
      drop.connection === 1 &&
      drop.code === 'ECONNRESET' &&
      drop.rows === 2 &&
      !drop.reconnecting,
    JSON.stringify(drop),
  );
  assert.ok(
    ev.some(
      (e) => e.type === 'log' && e.level === 'warn' && e.message === `tcp://${HOST}:${port}#1: connection dropped (ECONNRESET) after 2 rows; its rows end here`,
    ),
  );
  assert.throws(
    () => fromTcp({ listen: 0, reconnect: true }),
    (e: unknown) => e instanceof SpecError && /reconnect: a server \(listen\) does not reconnect/.test((e as Error).message),
  );
  assert.throws(
    () => fromTcp({ connect: `${HOST}:1`, reconnectOnEnd: true }),
    (e: unknown) => e instanceof SpecError && /reconnectOnEnd: needs reconnect/.test((e as Error).message),
  );
});

test.run();
