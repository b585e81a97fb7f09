// Streams labelled NDJSON rows to a sluice TCP source: npx tsx examples/tcp-producer.ts <port> [rows] [host]
// label = x1 + 2·x2 + (color = red ? 1 : 0) > 0.5, with 5% of labels flipped; one row in 500 is malformed
// (a bad row sluice skips and counts). Honours backpressure: waits for 'drain' when the socket is full.
import { connect } from 'node:net';

const port = Number(process.argv[2]);
const rows = Number(process.argv[3] ?? 20000);
const host = process.argv[4] ?? '127.0.0.1';
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('usage: tcp-producer.ts <port> [rows] [host]\n');
  process.exit(2);
}

// Seeded LCG so every run sends the same rows.
let state = 12345;
const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
const colors = ['red', 'green', 'blue'];

const socket = connect(port, host, async () => {
  for (let i = 0; i < rows; i++) {
    const x1 = rand() * 2 - 1,
      x2 = rand() * 2 - 1,
      color = colors[Math.floor(rand() * 3)]!;
    let label = x1 + 2 * x2 + (color === 'red' ? 1 : 0) > 0.5;
    if (rand() < 0.05) label = !label;
    const line = i % 500 === 499 ? '{"x1": oops}\n' : `${JSON.stringify({ x1, x2, color, label })}\n`;
    if (!socket.write(line)) await new Promise((r) => socket.once('drain', r));
  }
  socket.end();
});
socket.on('error', (e) => {
  process.stderr.write(`tcp-producer: ${e.message}\n`);
  process.exit(1);
});
