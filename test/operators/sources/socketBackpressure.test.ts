import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { lastValueFrom, toArray } from 'rxjs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asyncMap, Telemetry } from '../../../src/core/index.js';
import { fromTcp } from '../../../src/operators/index.js';

const HOST = '127.0.0.1';
const CAPACITY = 2;
const LINE = 1024;
const ROWS = 24_000; // per connection: 2 × 24 MiB, well past what loopback socket buffers hold
const CONNECTIONS = 2;
const PAD = 'x'.repeat(LINE - 60);

/** A fixed-length NDJSON line, so bytes and rows convert exactly. */
function line(c: number, seq: number): string {
  const head = `{"c":${c},"seq":${seq},"pad":"`;
  const tail = '"}\n';
  return head + PAD.slice(0, LINE - head.length - tail.length) + tail;
}

interface Producer {
  wrote: number;
  sawFalse: number;
  drains: number;
  done: Promise<void>;
}

/** Writes as fast as the socket takes it, honouring backpressure (waits for 'drain' when write returns false). */
function produce(port: number, c: number): Producer {
  const p: Producer = { wrote: 0, sawFalse: 0, drains: 0, done: Promise.resolve() };
  p.done = (async () => {
    const s: Socket = connect(port, HOST);
    await once(s, 'connect');
    for (let i = 0; i < ROWS; i += 16) {
      let chunk = '';
      for (let k = i; k < Math.min(ROWS, i + 16); k++) chunk += line(c, k);
      p.wrote += chunk.length;
      if (!s.write(chunk)) {
        p.sawFalse++;
        await once(s, 'drain');
        p.drains++;
      }
    }
    s.end();
    await once(s, 'close');
  })();
  return p;
}

test('a fast producer is held back by TCP backpressure; the queue stays within capacity; every row arrives once, in order', async () => {
  const telemetry = new Telemetry();
  let maxDepth = 0,
    queueEvents = 0;
  const sub = telemetry.on('queue').subscribe((e) => {
    queueEvents++;
    if (e.depth > maxDepth) maxDepth = e.depth;
  });
  const producers: Producer[] = [];
  let consumedRows = 0,
    maxInFlight = 0,
    maxMem = 0;
  const mem = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const mem0 = mem();
  const seen: number[][] = Array.from({ length: CONNECTIONS }, () => []);
  const run = lastValueFrom(
    fromTcp({
      listen: 0,
      maxConnections: CONNECTIONS,
      capacity: CAPACITY,
      telemetry,
      schema: { c: 'integer', seq: 'integer' },
      onListening: ({ port }) => {
        for (let c = 0; c < CONNECTIONS; c++) producers.push(produce(port, c));
      },
    }).pipe(
      // The slow consumer: a wait per batch. The producers write without pause, orders of magnitude
      // (≥ 10×) faster, so without backpressure nearly all 48 MiB would pile up in the reader.
      asyncMap(async (b) => {
        await new Promise((r) => setTimeout(r, 3));
        const cs = b.column('c'),
          ss = b.column('seq');
        if (cs.type !== 'integer' || ss.type !== 'integer') throw new Error('types');
        for (let i = 0; i < b.length; i++) seen[cs.values[i]!]!.push(ss.values[i]!);
        consumedRows += b.length;
        const wrote = producers.reduce((n, p) => n + p.wrote, 0);
        maxInFlight = Math.max(maxInFlight, wrote - consumedRows * LINE);
        maxMem = Math.max(maxMem, mem() - mem0);
        return null;
      }),
      toArray(),
    ),
  );
  await run;
  await Promise.all(producers.map((p) => p.done));
  sub.unsubscribe();
  const total = CONNECTIONS * ROWS * LINE;
  console.log(
    `    in flight max ${(maxInFlight / 2 ** 20).toFixed(1)} MiB of ${(total / 2 ** 20).toFixed(0)} MiB; memory growth max ${(maxMem / 2 ** 20).toFixed(1)} MiB; write()=false ${producers.map((p) => p.sawFalse).join('+')} times; queue depth max ${maxDepth}`,
  );
  assert.ok(queueEvents > 0);
  assert.ok(maxDepth <= CAPACITY, `queue depth ${maxDepth} > capacity ${CAPACITY}`);
  for (const p of producers) {
    assert.ok(p.sawFalse > 0, 'producer saw write() return false');
    assert.is(p.drains, p.sawFalse);
  }
  for (let c = 0; c < CONNECTIONS; c++) {
    assert.is(seen[c]!.length, ROWS, `connection ${c} row count`);
    assert.ok(
      seen[c]!.every((s, i) => s === i),
      `connection ${c} rows in order, once each`,
    );
  }
  // Bytes written but not yet consumed sit in kernel socket buffers plus one batch per
  // connection and the queue: bounded well below the total that a non-pausing reader would hold.
  assert.ok(maxInFlight < total / 2, `in flight ${maxInFlight} bytes`);
  // Heap + buffers growth also depends on when GC last ran (earlier tests share the process), so
  // its bound is looser: less than the data sent, which a reader holding everything would exceed.
  assert.ok(maxMem < total, `memory grew ${maxMem} bytes`);
});

test.run();
