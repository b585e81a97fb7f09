import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadPipeline } from '../operators/index.js';
import { ModelRegistry } from '../registry/index.js';
import { createServer } from '../serve/index.js';
import type { Command } from './Command.js';
import { intFlag } from './commonFlags.js';
import { UsageError } from './UsageError.js';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';

/** `sluice serve <model>`: a saved pipeline behind HTTP until SIGINT or SIGTERM. */
export const serveCommand: Command = {
  summary: 'serve a saved pipeline over HTTP: POST /predict, GET /health, GET /metrics',
  usage: [
    'Usage: sluice serve <model> [options]',
    '',
    '<model> is what `sluice predict` takes: a `train --save` directory (or its pipeline.json), a',
    'model registry (its active version) or one of its versions (REG/v0002). Endpoints:',
    '  POST /predict   a JSON row object, a JSON array of rows, or NDJSON (content-type',
    "                  application/x-ndjson); answers in the same shape with each row's fields and",
    '                  the prediction fields added (prediction, probability or probability_<class>)',
    '  GET /health     { status: "ok", task, version? }',
    '  GET /metrics    Prometheus text: requests by route and status, latency, rows predicted',
    '  GET /models     (a registry) the versions, the active one and the one served',
    '  POST /models/V/activate  (a registry) load version V, make it ACTIVE and serve it; requests',
    '                  in flight finish on the model they started with (hot swap, rollback)',
    'A bad request is a 4xx with a JSON body { error, field? }. The model does not learn.',
    '',
    'Options:',
    `  --port P             port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`,
    `  --host H             address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)`,
    '  --token T            POST requests need `Authorization: Bearer T` (default: open)',
    '  --max-body-bytes N   largest request body (default 1048576)',
    '  --max-rows N         most rows in one request (default 10000)',
    '  -h, --help           this help',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        token: { type: 'string' },
        'max-body-bytes': { type: 'string' },
        'max-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.out(this.usage);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'expected a model directory' : `expected one model, got ${positionals.join(' ')}`);
    const modelPath = positionals[0]!;
    const port = intFlag('port', values.port, DEFAULT_PORT, 0)!;
    if (port > 65_535) throw new UsageError(`--port: expected a port number 0-65535, got "${values.port}"`);
    const host = values.host ?? DEFAULT_HOST;
    if (host === '') throw new UsageError('--host: expected an address, got ""');
    // A token from the command line shows in `ps`; it is still better than none on a shared host.
    if (values.token !== undefined && values.token === '') throw new UsageError('--token: expected a token, got ""');
    const maxBodyBytes = intFlag('max-body-bytes', values['max-body-bytes'], undefined, 1);
    const maxRows = intFlag('max-rows', values['max-rows'], undefined, 1);

    const saved = await loadPipeline(modelPath);
    const from = registryOf(modelPath);
    const version = from?.version;
    // From a registry the server owns the model (it swaps it on POST /models/:version/activate).
    const app = createServer(saved, {
      ...(values.token !== undefined ? { token: values.token } : {}),
      ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
      ...(maxRows !== undefined ? { maxRows } : {}),
      ...(from !== undefined ? { version: from.version, registry: from } : {}),
    });
    try {
      await app.listen({ port, host });
    } catch (e) {
      await app.close().catch(() => {});
      if (!from) await saved.dispose();
      throw e;
    }
    const address = app.server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    io.err(`serving ${modelPath} (${saved.task}${version !== undefined ? ` ${version}` : ''}) on http://${shown}:${address.port}`);

    // Stop on the first signal: close waits for requests in flight, then the model is freed.
    const signal = await new Promise<NodeJS.Signals>((done) => {
      const stop = (s: NodeJS.Signals) => {
        process.removeListener('SIGINT', stop);
        process.removeListener('SIGTERM', stop);
        done(s);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    io.err(`sluice serve: ${signal}, closing`);
    await app.close();
    if (!from) await saved.dispose();
    return 0;
  },
};

/** The registry and version a model path loads (REG: its active one, REG/vNNNN: that one); undefined for a plain --save directory. */
function registryOf(path: string): { dir: string; version: string } | undefined {
  if (ModelRegistry.isRegistry(path)) {
    const version = ModelRegistry.open(path).active();
    return version === null ? undefined : { dir: path, version };
  }
  const full = resolve(path);
  if (/^v\d+$/.test(basename(full)) && ModelRegistry.isRegistry(dirname(full))) return { dir: dirname(full), version: basename(full) };
  return undefined;
}
