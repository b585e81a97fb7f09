import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DRIFT_DETECTOR_NAMES, DRIFT_DETECTORS } from '../drift/index.js';
import { loadPipeline } from '../operators/index.js';
import { ModelRegistry } from '../registry/index.js';
import { createServer } from '../serve/index.js';
import type { Command } from './Command.js';
import { intFlag, listFlag, numFlag } from './commonFlags.js';
import { UsageError } from './UsageError.js';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';

/** `sluice serve <model>`: a saved pipeline behind HTTP until SIGINT or SIGTERM. */
export const serveCommand: Command = {
  summary: 'serve a saved pipeline over HTTP: POST /predict, /learn, /feedback, GET /health, GET /metrics',
  usage: [
    'Usage: sluice serve <model> [options]',
    '',
    '<model> is what `sluice predict` takes: a `train --save` directory (or its pipeline.json), a',
    'model registry (its active version) or one of its versions (REG/v0002). Bodies are a JSON row',
    'object, a JSON array of rows, NDJSON (application/x-ndjson) or an Arrow IPC stream',
    '(application/vnd.apache.arrow.stream). Endpoints:',
    "  POST /predict   rows; answers in the same shape with each row's fields and the prediction",
    '                  fields added (prediction, probability or probability_<class>). A row with an',
    '                  id field (--id-column) is logged with its prediction for /feedback',
    '  POST /learn     labelled rows (the label column, or the columns a target expression reads):',
    '                  each is scored by the model before it learns it (progressive metrics)',
    '  POST /feedback  { "id": ..., "label": ... } or an array of them: a late label joined to the',
    '                  prediction logged for its id, scored against it, then learned; an unknown or',
    '                  forgotten id is a 404, a second label for an id a 409 (in an array: a status',
    '                  per item)',
    '  GET /health     { status: "ok", task, version? }',
    '  GET /metrics    Prometheus text: requests by route and status, latency, rows predicted and',
    '                  learned, the progressive metrics, drift alarms, the model version',
    '  GET /models     (a registry) the versions, the active one and the one served',
    '  POST /models/V/activate  (a registry) load version V, make it ACTIVE and serve it; requests',
    '                  in flight finish on the model they started with (hot swap, rollback). What',
    '                  the served model learned is not saved: the swap drops it',
    'A bad request is a 4xx with a JSON body { error, field?, row? }.',
    '',
    'Options:',
    `  --port P             port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`,
    `  --host H             address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)`,
    '  --token T            POST requests need `Authorization: Bearer T` (default: open)',
    '  --max-body-bytes N   largest request body (default 1048576)',
    '  --max-rows N         most rows in one request (default 10000)',
    '  --no-learn           the model never learns: /learn and /feedback answer 403',
    '  --metrics A,B        progressive metrics of the rows learned (default by task, as train)',
    '  --rolling N          also the metrics over the last N rows scored',
    `  --drift D            watch the errors of the rows learned for drift: ${DRIFT_DETECTOR_NAMES.join('|')}`,
    '                       (alarms are counted in /metrics; the model is not changed)',
    '  --id-column C        the field of a /predict row that holds its id (default id)',
    '  --feedback-max-ids N ids kept for late labels, the oldest forgotten first (default 100000)',
    '  --feedback-max-age S seconds an id is kept for its label (default 3600)',
    '  --no-feedback        log nothing; /feedback answers 404',
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
        'no-learn': { type: 'boolean' },
        metrics: { type: 'string' },
        rolling: { type: 'string' },
        drift: { type: 'string' },
        'id-column': { type: 'string' },
        'feedback-max-ids': { type: 'string' },
        'feedback-max-age': { type: 'string' },
        'no-feedback': { type: 'boolean' },
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
    const metrics = listFlag(values.metrics);
    if (metrics !== undefined && metrics.length === 0) throw new UsageError('--metrics: expected metric names, e.g. accuracy,rocAuc');
    const rolling = intFlag('rolling', values.rolling, undefined, 1);
    if (values.drift !== undefined && !DRIFT_DETECTOR_NAMES.includes(values.drift) && !(DRIFT_DETECTORS as readonly string[]).includes(values.drift))
      throw new UsageError(`--drift: expected one of ${DRIFT_DETECTOR_NAMES.join('|')}, got "${values.drift}"`);
    const feedbackOff = values['no-feedback'] === true;
    for (const k of ['id-column', 'feedback-max-ids', 'feedback-max-age'] as const)
      if (feedbackOff && values[k] !== undefined) throw new UsageError(`--${k} and --no-feedback: there is no feedback to configure`);
    if (values['id-column'] !== undefined && values['id-column'].trim() === '') throw new UsageError('--id-column: expected a field name');
    const maxIds = intFlag('feedback-max-ids', values['feedback-max-ids'], undefined, 1);
    const maxAge = numFlag('feedback-max-age', values['feedback-max-age'], 0, Infinity, true);

    const saved = await loadPipeline(modelPath);
    const from = registryOf(modelPath);
    const version = from?.version;
    // From a registry the server owns the model (it swaps it on POST /models/:version/activate).
    let app: ReturnType<typeof createServer>;
    try {
      app = createServer(saved, {
        ...(values.token !== undefined ? { token: values.token } : {}),
        ...(maxBodyBytes !== undefined ? { maxBodyBytes } : {}),
        ...(maxRows !== undefined ? { maxRows } : {}),
        ...(from !== undefined ? { version: from.version, registry: from } : {}),
        ...(values['no-learn'] ? { learn: false } : {}),
        ...(metrics !== undefined ? { metrics } : {}),
        ...(rolling !== undefined ? { rolling } : {}),
        ...(values.drift !== undefined ? { drift: values.drift } : {}),
        feedback: feedbackOff
          ? false
          : {
              ...(values['id-column'] !== undefined ? { idColumn: values['id-column'] } : {}),
              ...(maxIds !== undefined ? { maxIds } : {}),
              ...(maxAge !== undefined ? { maxAgeMs: maxAge * 1000 } : {}),
            },
      });
    } catch (e) {
      await saved.dispose();
      throw e;
    }
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
