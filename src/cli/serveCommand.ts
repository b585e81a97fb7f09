import type { AddressInfo } from 'node:net';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DRIFT_DETECTOR_NAMES, DRIFT_DETECTORS } from '../drift/index.js';
import { loadPipeline } from '../operators/index.js';
import { ModelRegistry } from '../registry/index.js';
import { createServer } from '../serve/index.js';
import type { Command } from './Command.js';
import { enumFlag, INPUT_FLAGS, inputFlags, intFlag, listFlag, numFlag } from './commonFlags.js';
import { sourceFromPath } from './sourceFromPath.js';
import { UsageError } from './UsageError.js';

const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';

/** `sluice serve <model>`: a saved pipeline behind HTTP until SIGINT or SIGTERM. */
export const serveCommand: Command = {
  summary: 'serve a saved pipeline over HTTP: POST /predict, /learn, /feedback, GET /health, GET /metrics; --learn-from a stream',
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
    '  GET /health     { status: "ok", task, version?, learnFrom?, publish? }',
    '  GET /metrics    Prometheus text: requests by route and status, latency, rows predicted and',
    '                  learned, the progressive metrics, drift alarms, the model version',
    '  GET /models     (a registry) the versions, the active one and the one served',
    '  POST /models/V/activate  (a registry) load version V, make it ACTIVE and serve it; requests',
    '                  in flight finish on the model they started with (hot swap, rollback). What',
    '                  the served model learned since its last published version is dropped',
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
    '',
    'Learning from a stream while serving:',
    '  --learn-from SOURCE  learn the labelled rows of SOURCE (what `sluice train` reads: a file, -,',
    '                       tcp://host:port, ws://...) as /learn learns them: each scored first',
    '                       (progressive metrics), in slices of about 1.5 ms with requests answered',
    '                       in between (a /predict waits for one slice at most). A row without a',
    '                       label is skipped (reason label). When a file ends, learning stops and',
    '                       serving goes on (GET /health says learnFrom.state: ended)',
    '  --format F           csv|ndjson for -, tcp:// and ws:// (default: csv for -, ndjson otherwise)',
    '  --connect            tcp://host:port: connect to a server instead of listening',
    '  --reconnect          tcp:// with --connect, ws://: reconnect with backoff after a drop',
    '  --backoff MS         with --reconnect: first retry delay (default 100)',
    '  --max-retries N      with --reconnect: failed attempts in a row before giving up (default 10)',
    '  --bad-rows P         skip (default: count in /metrics, dead-letter, go on) | fail (stop learning)',
    '  --dead-letter F      write the skipped rows of SOURCE to this CSV',
    '  --delimiter C        CSV field separator of SOURCE',
    '  --null-values A,B    values of SOURCE read as missing',
    '',
    'Publishing what the served model learned (a registry: sluice serve REG):',
    '  --publish-every S    every S seconds (when it learned rows since the last one), publish the',
    '                       model as it is now as the next version (v0002, v0003 ...: its state',
    '                       between two updates, the steps as loaded, report.json with the metrics',
    '                       and rows learned), make it ACTIVE and serve it under that name',
    '  --publish-on-drift   the same at each drift alarm of --drift',
    '                       (with either, a clean stop, SIGINT or SIGTERM, publishes what was',
    '                       learned since the last version before the server exits)',
    '',
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
        'learn-from': { type: 'string' },
        format: { type: 'string' },
        connect: { type: 'boolean' },
        reconnect: { type: 'boolean' },
        backoff: { type: 'string' },
        'max-retries': { type: 'string' },
        ...INPUT_FLAGS,
        'publish-every': { type: 'string' },
        'publish-on-drift': { type: 'boolean' },
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

    // The stream to learn from, checked before the model loads (a bad flag is a usage error).
    const learnFromPath = values['learn-from'];
    const streamFlags = ['format', 'connect', 'reconnect', 'backoff', 'max-retries', 'bad-rows', 'dead-letter', 'delimiter', 'null-values'] as const;
    if (learnFromPath === undefined)
      for (const k of streamFlags) if (values[k] !== undefined) throw new UsageError(`--${k}: applies to the stream of --learn-from, which is not given`);
    if (learnFromPath !== undefined && learnFromPath === '') throw new UsageError('--learn-from: expected a file, -, tcp://host:port or ws://...');
    if (learnFromPath !== undefined && values['no-learn'])
      throw new UsageError('--learn-from and --no-learn: the model cannot learn from a stream without learning');
    let source: ReturnType<typeof sourceFromPath> | undefined;
    if (learnFromPath !== undefined) {
      const format = enumFlag('format', values.format, ['csv', 'ndjson'] as const);
      const backoff = intFlag('backoff', values.backoff, undefined, 1),
        maxRetries = intFlag('max-retries', values['max-retries'], undefined, 0);
      const spec = sourceFromPath(learnFromPath, {
        ...(values.connect ? { connect: true } : {}),
        ...(format ? { format } : {}),
        ...(values.reconnect ? { reconnect: true } : {}),
        ...(backoff !== undefined ? { backoff } : {}),
        ...(maxRetries !== undefined ? { maxRetries } : {}),
      });
      source = { ...spec, ...inputFlags(values, spec, learnFromPath) };
    }
    const publishEvery = numFlag('publish-every', values['publish-every'], 0, Infinity, true);
    const publishOnDrift = values['publish-on-drift'] === true;
    const publishing = publishEvery !== undefined || publishOnDrift;
    const flag = publishEvery !== undefined ? '--publish-every' : '--publish-on-drift';
    if (publishing && values['no-learn']) throw new UsageError(`${flag} and --no-learn: a model that does not learn has nothing new to publish`);
    if (publishOnDrift && values.drift === undefined) throw new UsageError('--publish-on-drift: needs --drift D (the detector whose alarms publish)');

    const saved = await loadPipeline(modelPath);
    const from = registryOf(modelPath);
    if (publishing && from === undefined) {
      await saved.dispose();
      throw new UsageError(
        `${flag}: publishing writes new versions to a model registry, and ${modelPath} is a saved directory, not one (serve REG or REG/vNNNN; sluice train --registry REG makes one)`,
      );
    }
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
        ...(source !== undefined ? { learnFrom: { source, name: learnFromPath! } } : {}),
        ...(publishing ? { publish: { ...(publishEvery !== undefined ? { every: publishEvery } : {}), ...(publishOnDrift ? { onDrift: true } : {}) } } : {}),
        log: (line: string) => io.err(`sluice serve: ${line}`),
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
