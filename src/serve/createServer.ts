import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BadRows, type Batch, type Column, type ColumnType, type Schema, SluiceError, SpecError, StringDictionary, Telemetry } from '../core/index.js';
import { type DriftDetectorSpec, type ResolvedDriftSpec, readDriftSpec } from '../drift/index.js';
import type { MetricSpec } from '../metrics/index.js';
import { loadPipeline, type SavedPipeline } from '../operators/index.js';
import { ModelRegistry } from '../registry/index.js';
import { ARROW, readArrowBody, writeArrowBody } from './arrowBody.js';
import { type AjvError, BodyShape } from './BodyShape.js';
import { FeedbackLog } from './FeedbackLog.js';
import { LearnFrom, type LearnFromOptions } from './LearnFrom.js';
import { type PublishReason, publishServed } from './publishServed.js';
import { RequestError, tooManyRows } from './RequestError.js';
import { atRow, batchFromArrowBody, batchFromRows, Dictionaries, schemaOf, whereRow } from './requestBatch.js';
import { ServedModel } from './ServedModel.js';

export interface ServerOptions {
  /** When set, POST endpoints need `Authorization: Bearer <token>` (GET /health and /metrics stay open). */
  token?: string;
  /** Largest request body in bytes (default 1 MiB); a larger one is a 413. */
  maxBodyBytes?: number;
  /** Most rows in one request (default 10,000); more is a 413. It bounds what one /learn request holds the server for. */
  maxRows?: number;
  /** Fastify's request log (pino, JSON lines on stdout); default off. */
  logger?: boolean;
  /** The model's version (a registry's vNNNN), shown by /health and in /metrics. */
  version?: string;
  /**
   * The registry the model came from (`dir`) and its version: adds GET /models and POST
   * /models/:version/activate (hot swap). With it the server owns the model: it disposes of a
   * model once it is swapped out and its requests in flight have ended, and of the one it serves
   * when it closes. `version` here overrides `options.version`.
   */
  registry?: { dir: string; version: string };
  /** POST /learn and /feedback make the model learn (default true); false answers them 403. */
  learn?: boolean;
  /** Progressive metrics of the rows learned (default by task, as `sluice train`): `sluice_model_metric{name}`. */
  metrics?: MetricSpec[];
  /** Also keep the metrics over the last `rolling` rows scored: `sluice_model_metric_rolling{name}`. */
  rolling?: number;
  /** Watch the errors of the rows learned for drift (alert only): `adwin`, `page-hinkley`, ... or `{ adwin: { delta } }`. */
  drift?: DriftDetectorSpec;
  /**
   * Late labels: /predict logs each row that has an `idColumn` field (default `id`) with its
   * prediction, keeping the newest `maxIds` ids (default 100,000) for `maxAgeMs` (default one hour);
   * POST /feedback joins `{ id, label }` to them. false: nothing is logged, /feedback is a 404.
   */
  feedback?: { idColumn?: string; maxIds?: number; maxAgeMs?: number } | false;
  /** The feedback log's clock in ms (default performance.now); tests step it to age ids out. */
  now?: () => number;
  /**
   * Learn from a stream while serving (`sluice serve --learn-from`): its labelled rows go through
   * the served model as /learn's do, in slices between which requests are answered (LearnFrom).
   * Reading starts when the server is ready (listen, or the first inject) and stops when it closes.
   */
  learnFrom?: LearnFromOptions;
  /**
   * With a registry: publish the served model as it is now as the next version, made ACTIVE and
   * served under that name, every `every` seconds (when it learned something since the last one)
   * and/or at each drift alarm (`onDrift`, needs `drift`). A failed publish is logged and counted
   * (`sluice_publish_failures_total`); serving and learning go on.
   */
  publish?: {
    every?: number;
    onDrift?: boolean;
    /** Longest one try blocks the event loop for the registry's lock (ms, default 50); tried again every 100 ms up to `lockWaitMs` (default 5000). */
    lockTryMs?: number;
    lockWaitMs?: number;
  };
  /** Where the server says what learning from the stream and publishing do (a line each; default nowhere). */
  log?: (line: string) => void;
}

const MIB = 1 << 20;
const NDJSON = 'application/x-ndjson';
const ENDPOINTS = 'POST /predict, POST /learn, POST /feedback, GET /health, GET /metrics';
/** Longest id kept for feedback (characters). */
const MAX_ID_LENGTH = 256;

type Row = Record<string, unknown>;

/** What an Arrow body parses to: an empty array, so the JSON schema lets it by; the bytes wait in `arrowBodies`. */
const ARROW_BODY: readonly unknown[] = Object.freeze([]);

/**
 * The HTTP face of a saved pipeline. POST /predict scores rows with `model.predictBatch`; POST
 * /learn makes the model learn labelled rows (each scored first: progressive metrics); POST
 * /feedback joins late labels to the predictions logged for their ids and learns them; GET /health
 * says it is up; GET /metrics gives Prometheus text from a registry of its own (two servers in one
 * process do not share counters). Bodies are a JSON row object, a JSON array of rows, NDJSON, or
 * an Arrow IPC stream, and /predict answers in the shape it was sent. Every bad request is a 4xx
 * with a JSON body `{ error, field?, row? }` naming what is wrong; a request body is parsed as
 * data and never evaluated. The caller listens, closes and disposes of the model (unless it came
 * from a registry). The model's steps are set to fail on a bad row (a 422 naming it) instead of
 * dropping it, so each answer row matches its input row.
 */
export function createServer(model: SavedPipeline, options: ServerOptions = {}): FastifyInstance {
  const maxBodyBytes = positiveInt('maxBodyBytes', options.maxBodyBytes, MIB);
  const maxRows = positiveInt('maxRows', options.maxRows, 10_000);
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '')) throw new SpecError('token', 'expected a non-empty string');
  const tokenHash = options.token === undefined ? null : sha256(options.token);
  const learning = options.learn ?? true;
  const drift: ResolvedDriftSpec | null = options.drift === undefined ? null : readDriftSpec({ detector: options.drift, onDrift: 'alert' }, 'drift');
  const fb = options.feedback === false ? null : (options.feedback ?? {});
  const idColumn = fb === null ? null : (fb.idColumn ?? 'id');
  if (idColumn !== null && (typeof idColumn !== 'string' || idColumn === '')) throw new SpecError('feedback.idColumn', 'expected a column name');
  const log =
    fb === null
      ? null
      : new FeedbackLog<ServedModel>({
          ...(fb.maxIds !== undefined ? { maxIds: fb.maxIds } : {}),
          ...(fb.maxAgeMs !== undefined ? { maxAgeMs: fb.maxAgeMs } : {}),
          ...(options.now ? { now: options.now } : {}),
        });

  const registry = options.registry === undefined ? null : ModelRegistry.open(options.registry.dir);
  const say = options.log ?? (() => {});
  const pub = options.publish ?? null;
  if (pub !== null) {
    if (!registry) throw new SpecError('publish', 'publishing writes versions to a model registry: serve a registry (the registry option; sluice serve REG)');
    if (!learning) throw new SpecError('publish', 'the model does not learn (learn: false), so there is nothing new to publish');
    if (pub.every !== undefined && !(typeof pub.every === 'number' && pub.every > 0 && Number.isFinite(pub.every)))
      throw new SpecError('publish.every', `expected a number of seconds > 0, got ${String(pub.every)}`);
    if (pub.onDrift && drift === null)
      throw new SpecError('publish.onDrift', 'publishing on drift needs a drift detector (the drift option; sluice serve --drift D)');
    if (pub.every === undefined && !pub.onDrift) throw new SpecError('publish', 'expected every (seconds) and/or onDrift');
  }
  if (options.learnFrom !== undefined && !learning)
    throw new SpecError('learnFrom', 'the model does not learn (learn: false): a stream to learn from needs learning on');
  const lockTryMs = pub?.lockTryMs ?? 50;
  const lockWaitMs = pub?.lockWaitMs ?? 5000;
  const publishTo = pub !== null && registry ? ModelRegistry.open(registry.dir, { lockTimeoutMs: lockTryMs }) : null;
  // A private telemetry: the server's bad rows are answered, not reported to the process's stream.
  const telemetry = new Telemetry();

  const metrics = new Registry();
  const requests = new Counter({
    name: 'sluice_http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [metrics],
  });
  const latency = new Histogram({
    name: 'sluice_http_request_duration_seconds',
    help: 'Time from request to response, by route and method',
    labelNames: ['route', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics],
  });
  const predicted = new Counter({ name: 'sluice_predicted_rows_total', help: 'Rows scored by POST /predict', registers: [metrics] });
  const learnedRows = new Counter({
    name: 'sluice_learned_rows_total',
    help: 'Rows the model learned, by endpoint (learn: labelled rows; feedback: late labels joined to logged predictions)',
    labelNames: ['endpoint'] as const,
    registers: [metrics],
  });
  const feedbackCount = new Counter({
    name: 'sluice_feedback_total',
    help: 'Labels sent to POST /feedback, by result: joined (learned), unknown (id never logged, expired or evicted), duplicate (id already labelled)',
    labelNames: ['result'] as const,
    registers: [metrics],
  });
  const driftEvents = new Counter({
    name: 'sluice_drift_events_total',
    help: 'Drift detector alarms on the errors of the rows learned, by signal (stays 0 without --drift)',
    labelNames: ['signal'] as const,
    registers: [metrics],
  });
  for (const endpoint of ['learn', 'feedback']) learnedRows.inc({ endpoint }, 0);
  for (const result of ['joined', 'unknown', 'duplicate']) feedbackCount.inc({ result }, 0);
  for (const signal of ['warning', 'drift']) driftEvents.inc({ signal }, 0);
  const streamRows = options.learnFrom
    ? new Counter({
        name: 'sluice_learn_from_rows_total',
        help: 'Rows the --learn-from source passed on (its own bad rows not included)',
        registers: [metrics],
      })
    : null;
  const streamSkipped = options.learnFrom
    ? new Counter({
        name: 'sluice_learn_from_skipped_rows_total',
        help: "Rows of the --learn-from stream skipped, by reason: the source's bad rows, rows the steps reject, label (no usable label)",
        labelNames: ['reason'] as const,
        registers: [metrics],
      })
    : null;
  if (options.learnFrom) learnedRows.inc({ endpoint: 'stream' }, 0);
  const published = pub
    ? new Counter({
        name: 'sluice_versions_published_total',
        help: 'Versions of the served model published to the registry, by reason (schedule: --publish-every; drift: --publish-on-drift)',
        labelNames: ['reason'] as const,
        registers: [metrics],
      })
    : null;
  const publishFailures = pub
    ? new Counter({
        name: 'sluice_publish_failures_total',
        help: 'Publishes that failed (registry locked, disk): logged; serving goes on',
        registers: [metrics],
      })
    : null;
  for (const reason of ['schedule', 'drift']) published?.inc({ reason }, 0);
  publishFailures?.inc(0);

  const prepare = (m: SavedPipeline, version: string | undefined): ServedModel => {
    m.setBadRows((step) => new BadRows(step, { badRows: 'fail', telemetry }));
    return new ServedModel(m, version, {
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.rolling !== undefined ? { rolling: options.rolling } : {}),
      drift,
      onAlarm: (signal) => {
        driftEvents.inc({ signal });
        if (signal === 'drift' && pub?.onDrift) void publishNow('drift');
      },
    });
  };
  let current = prepare(model, options.registry?.version ?? options.version);
  // The request schema is the first model's; a version with other input columns is refused (409).
  const types = model.inputTypes;
  const schema = types === null ? null : schemaOf(types);
  const dictionaries = new Dictionaries();
  const categories = schema === null ? [] : schema.fields.filter((f) => f.type === 'category' || f.type === 'text').map((f) => f.name);
  const predictShape = BodyShape.predict(types);
  const learnShape = BodyShape.learn(types, model.labelColumns, model.labelTypes, idColumn);
  const feedbackShape = BodyShape.feedback();
  const endpoints = registry ? `${ENDPOINTS}, GET /models, POST /models/:version/activate` : ENDPOINTS;
  const release = async (s: ServedModel): Promise<void> => {
    if (s.disposed || !registry) return;
    s.disposed = true;
    await s.dispose();
  };

  const modelInfo = new Gauge({
    name: 'sluice_model_info',
    help: 'The model served (always 1; its task and version are labels)',
    labelNames: ['task', 'version'] as const,
    registers: [metrics],
  });
  modelInfo.set({ task: model.task, version: current.version ?? '' }, 1);
  new Gauge({
    name: 'sluice_model_metric',
    help: 'Progressive metrics of the served model: each row learned (/learn, /feedback) scored before it was learned, since the model started serving',
    labelNames: ['name'] as const,
    registers: [metrics],
    collect() {
      for (const [name, v] of Object.entries(current.metrics.values())) this.set({ name }, v);
    },
  });
  if (options.rolling !== undefined)
    new Gauge({
      name: 'sluice_model_metric_rolling',
      help: `The same over the last ${options.rolling} rows scored`,
      labelNames: ['name'] as const,
      registers: [metrics],
      collect() {
        for (const [name, v] of Object.entries(current.metrics.rollingValues() ?? {})) this.set({ name }, v);
      },
    });
  new Gauge({
    name: 'sluice_scored_rows',
    help: 'Rows counted in sluice_model_metric (the served model, since it started serving)',
    registers: [metrics],
    collect() {
      this.set(current.scored);
    },
  });
  if (log)
    new Gauge({
      name: 'sluice_feedback_ids',
      help: `Ids kept for late labels (at most ${log.maxIds}, for ${log.maxAgeMs / 1000} s)`,
      registers: [metrics],
      collect() {
        this.set(log.size);
      },
    });

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: maxBodyBytes,
    // Types are checked, never coerced: "3" in a number column is an error, [1] is not 1. A field
    // a body may not have is an error too, not silently removed.
    ajv: { customOptions: { coerceTypes: false, allowUnionTypes: true, allErrors: false, removeAdditional: false } },
  });

  // Hooks in callback form: no promise per request.
  if (tokenHash !== null)
    app.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'POST') return done();
      const m = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
      if (m && timingSafeEqual(sha256(m[1]!), tokenHash)) return done();
      reply.header('www-authenticate', 'Bearer');
      done(new RequestError(401, m ? 'wrong bearer token' : 'missing Authorization: Bearer <token> header', { field: 'authorization' }));
    });
  // The series' children by their labels: prom-client hashes a label object on every call otherwise.
  const counted = new Map<string, { inc(): void }>();
  const timed = new Map<string, { observe(v: number): void }>();
  app.addHook('onResponse', (request, reply, done) => {
    // Unknown paths share one label, so a scanner cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    const status = reply.statusCode;
    const key = `${route} ${method}`;
    let c = counted.get(`${key} ${status}`);
    if (c === undefined) {
      c = requests.labels(route, method, String(status));
      counted.set(`${key} ${status}`, c);
    }
    c.inc();
    let t = timed.get(key);
    if (t === undefined) {
      t = latency.labels(route, method);
      timed.set(key, t);
    }
    t.observe(reply.elapsedTime / 1000);
    done();
  });

  // Rows come as JSON, NDJSON or Arrow; a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  // NDJSON: one row per line; blank lines are skipped. Parsed into an array, validated as one.
  // The lines are kept (by request) so /predict answers each row as its line with the prediction
  // fields appended, instead of writing the parsed row out again.
  const ndjsonLines = new WeakMap<FastifyRequest, string[]>();
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (request, body, done) => {
    const rows: unknown[] = [];
    const kept: string[] = [];
    const lines = (body as string).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.trim();
      if (line === '') continue;
      if (rows.length === maxRows) return done(tooManyRows(`more than ${maxRows}`, maxRows));
      try {
        rows.push(JSON.parse(line));
      } catch (e) {
        return done(new RequestError(400, `malformed NDJSON: line ${i + 1}: ${(e as Error).message}`, { line: i + 1 }));
      }
      kept.push(line);
    }
    ndjsonLines.set(request, kept);
    done(null, rows);
  });
  // Arrow: the bytes are decoded by the handler (after the token and size checks).
  const arrowBodies = new WeakMap<FastifyRequest, Buffer>();
  app.addContentTypeParser(ARROW, { parseAs: 'buffer' }, (request, body, done) => {
    arrowBodies.set(request, body as Buffer);
    done(null, ARROW_BODY);
  });
  const arrowOf = (request: FastifyRequest): Batch | null => {
    if (request.body !== ARROW_BODY) return null;
    return readArrowBody(arrowBodies.get(request)!, maxRows, dictionaries.map(categories));
  };

  const shapes = new Map<string, BodyShape>([
    ['/predict', predictShape],
    ['/learn', learnShape],
    ['/feedback', feedbackShape],
  ]);
  app.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
    if (error instanceof RequestError) return reply.code(error.statusCode).send({ error: error.message, ...error.body });
    if (error.validation) {
      const shape = shapes.get(request.routeOptions.url ?? '') ?? predictShape;
      return reply.code(400).send(shape.describe(error.validation as unknown as AjvError[], request.body));
    }
    const status = error.statusCode ?? 500;
    if (status === 413 && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send({ error: `request body over ${maxBodyBytes} bytes (maxBodyBytes)`, limit: maxBodyBytes });
    if (status === 400 && (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'))
      return reply.code(400).send({ error: 'malformed JSON: the body does not parse (a "__proto__" key is refused too)' });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send({ error: `content-type ${request.headers['content-type'] ?? '(none)'}: send application/json, ${NDJSON} or ${ARROW}` });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `no endpoint ${request.method} ${request.url.split('?')[0]}; the endpoints are ${endpoints}` });
  });

  app.get('/health', async () => ({
    status: 'ok',
    task: current.model.task,
    ...(current.version !== undefined ? { version: current.version } : {}),
    ...(stream ? { learnFrom: stream.status() } : {}),
    ...(pub ? { publish: { ...(pub.every !== undefined ? { every: pub.every } : {}), onDrift: pub.onDrift === true, ...publishState } } : {}),
  }));
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });

  // Before validation, so a huge array is refused for its size, not for its hundredth row.
  const rowLimit = async (request: FastifyRequest) => {
    if (Array.isArray(request.body) && request.body.length > maxRows) throw tooManyRows(String(request.body.length), maxRows);
  };
  /** Runs `fn` on the model served now, which is kept until `fn` ends even if another is swapped in. */
  const using = async <T>(fn: (s: ServedModel) => Promise<T>): Promise<T> => {
    const served = current;
    served.inflight++;
    try {
      return await fn(served);
    } finally {
      served.inflight--;
      if (served.retired && served.inflight === 0) await release(served);
    }
  };

  /** The feedback key of each row that has an id (undefined: none); a bad id is a 400 naming the row. */
  const idsOf = (n: number, get: (i: number) => unknown, one: boolean): Array<string | undefined> | null => {
    if (idColumn === null) return null;
    let ids: Array<string | undefined> | null = null;
    for (let i = 0; i < n; i++) {
      const v = get(i);
      if (v === undefined || v === null) continue;
      ids ??= new Array(n);
      ids[i] = idKey(v, idColumn, i, one);
    }
    return ids;
  };
  /** Logs the rows with an id: their model columns (from `input(i)`) and the model's output. */
  const logPredictions = (served: ServedModel, scored: Batch, ids: Array<string | undefined>, input: (i: number) => Row) => {
    const out = outputsOf(served, scored);
    const w = served.model.model.outputs;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id !== undefined) log!.log(id, { by: served, input: input(i), prediction: out.slice(i * w, (i + 1) * w) });
    }
  };

  app.post('/predict', {
    schema: { body: predictShape.schema },
    preValidation: rowLimit,
    handler: (request: FastifyRequest, reply: FastifyReply) =>
      using(async (served) => {
        if (served.updating) await served.settled();
        const arrow = arrowOf(request);
        if (arrow) {
          for (const name of served.added)
            if (arrow.has(name)) throw new RequestError(400, `column "${name}": the input already has a field the prediction adds`, { field: name });
          const batch = batchFromArrowBody(arrow, schema);
          const ids = idColumn !== null && arrow.has(idColumn) ? idsOf(arrow.length, (i) => arrow.value(idColumn, i), false) : null;
          const scored = await served.predict(batch, false);
          if (ids) logPredictions(served, scored, ids, (i) => rowOf(batch, i));
          predicted.inc(scored.length);
          reply.type(ARROW);
          return Buffer.from(writeArrowBody(arrow.withColumns(served.added.map((name) => ({ name, column: scored.column(name), nullable: false })))));
        }
        const one = !Array.isArray(request.body);
        const rows = (one ? [request.body] : request.body) as Row[];
        if (rows.length === 0) return ndjsonLines.has(request) ? reply.type(NDJSON).send('') : [];
        for (let i = 0; i < rows.length; i++)
          for (const name of served.added)
            if (Object.hasOwn(rows[i]!, name))
              throw new RequestError(400, `${whereRow(i, one)}column "${name}": the input already has a field the prediction adds`, {
                field: name,
                ...atRow(i, one),
              });
        const ids = idsOf(rows.length, (i) => rows[i]![idColumn!], one);
        const batch = batchFromRows(rows, schema, one, dictionaries);
        const scored = await served.predict(batch, one);
        if (ids) logPredictions(served, scored, ids, (i) => (schema === null ? rows[i]! : pick(rows[i]!, schema)));
        predicted.inc(scored.length);
        const lines = ndjsonLines.get(request);
        if (lines !== undefined) {
          reply.type(NDJSON);
          return answerLines(rows, lines, scored, served.added);
        }
        const out = answerRows(rows, scored, served.added);
        return one ? out[0] : out;
      }),
  });

  const refuseLearning = () => {
    if (!learning) throw new RequestError(403, 'learning is off on this server (started with learn: false, or sluice serve --no-learn)');
    if (model.labelColumns.length === 0) throw new RequestError(409, 'the model has no target column, so it cannot learn');
  };

  app.post('/learn', {
    schema: { body: learnShape.schema },
    preValidation: rowLimit,
    handler: async (request: FastifyRequest) => {
      refuseLearning();
      return using(async (served) => {
        const arrow = arrowOf(request);
        const one = arrow === null && !Array.isArray(request.body);
        let batch: Batch;
        if (arrow) {
          if (types !== null)
            for (const name of arrow.names)
              if (!Object.hasOwn(types, name) && !model.labelColumns.includes(name) && name !== idColumn)
                throw new RequestError(
                  400,
                  `unknown column "${name}": POST /learn takes the model's columns (${Object.keys(types).join(', ')}) and the label (${model.labelColumns.join(', ')})`,
                  { field: name },
                );
          for (const l of model.labelColumns) if (!arrow.has(l)) throw new RequestError(400, `missing label column "${l}"`, { field: l });
          const inputs = batchFromArrowBody(arrow, schema);
          batch = withLabels(
            served.model,
            inputs,
            arrow.length,
            (name, i) => arrow.value(name, i),
            false,
            (ls) => batchFromArrowBody(arrow, ls),
          );
        } else {
          const rows = (one ? [request.body] : request.body) as Row[];
          if (rows.length === 0) return { learned: 0, metrics: served.metrics.values() };
          const inputs = batchFromRows(rows, schema, one, dictionaries);
          batch = withLabels(
            served.model,
            inputs,
            rows.length,
            (name, i) => rows[i]![name],
            one,
            (ls) => batchFromRows(rows, ls, one),
          );
        }
        const x = served.features(batch, one);
        const t = x.targets;
        for (let i = 0; i < x.rows; i++)
          if (!t || !Number.isFinite(t[i]!)) {
            const field = model.labelColumns[0]!;
            throw new RequestError(400, `${whereRow(i, one)}column "${field}": the target expression gives no label for this row`, { field, ...atRow(i, one) });
          }
        await served.learn(x);
        learnedRows.inc({ endpoint: 'learn' }, x.rows);
        return { learned: x.rows, metrics: served.metrics.values() };
      });
    },
  });

  app.post('/feedback', {
    schema: { body: feedbackShape.schema },
    preValidation: rowLimit,
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      refuseLearning();
      if (log === null) throw new RequestError(404, 'feedback is off on this server (started with feedback: false, or sluice serve --no-feedback)');
      const arrow = arrowOf(request);
      const one = arrow === null && !Array.isArray(request.body);
      const items = arrow ? feedbackFromArrow(arrow) : ((one ? [request.body] : request.body) as Array<{ id: string | number; label: unknown }>);
      // Every item is checked before anything is learned.
      const keys = items.map((it, i) => idKey(it.id, 'id', i, one));
      const codes = items.map((it, i) => {
        const c = model.labelCode(it.label);
        if (Number.isNaN(c))
          throw new RequestError(400, `${whereRow(i, one)}field "label": ${labelWanted(model)}, got ${JSON.stringify(it.label)}`, {
            field: 'label',
            ...atRow(i, one),
          });
        return c;
      });
      const seen = new Set<string>();
      const status: number[] = [];
      const found: number[] = [];
      const logged = keys.map((k) => {
        if (seen.has(k)) return { duplicate: true as const };
        seen.add(k);
        return log.lookup(k);
      });
      logged.forEach((l, i) => {
        if ('found' in l) {
          status.push(200);
          found.push(i);
        } else status.push('unknown' in l ? 404 : 409);
      });
      let learned = 0;
      if (found.length > 0)
        learned = await using(async (served) => {
          const inputs = found.map((i) => (logged[i] as { found: { input: Row } }).found.input);
          const batch = withTarget(
            served.model,
            batchFromRows(inputs, schema, false, dictionaries),
            found.map((i) => codes[i]!),
          );
          const x = served.features(batch, false);
          const w = served.model.model.outputs;
          const predictions = new Float32Array(found.length * w);
          const mine = found.map((i, k) => {
            const f = (logged[i] as { found: { by: ServedModel; prediction: Float32Array } }).found;
            predictions.set(f.prediction, k * w);
            return f.by === served;
          });
          // Taken now, before any wait: a second label for one of these ids is a duplicate.
          for (const i of found) log.answer(keys[i]!);
          await served.feedback(x, predictions, mine);
          return x.rows;
        });
      learnedRows.inc({ endpoint: 'feedback' }, learned);
      const count = (s: number) => status.filter((v) => v === s).length;
      feedbackCount.inc({ result: 'joined' }, count(200));
      feedbackCount.inc({ result: 'unknown' }, count(404));
      feedbackCount.inc({ result: 'duplicate' }, count(409));
      const resultOf = (i: number) => {
        const id = items[i]!.id;
        if (status[i] === 200) return { id, status: 200, learned: true };
        if (status[i] === 404)
          return {
            id,
            status: 404,
            error: `id ${JSON.stringify(id)}: no prediction logged for it, or it was forgotten (ids are kept ${log.maxAgeMs / 1000} s, the newest ${log.maxIds})`,
          };
        return { id, status: 409, error: `id ${JSON.stringify(id)}: its label was given already (a second one is refused, not learned)` };
      };
      if (one) {
        const r = resultOf(0);
        if (r.status !== 200) return reply.code(r.status).send({ error: r.error, field: 'id', id: r.id });
        return { id: r.id, learned: 1, metrics: current.metrics.values() };
      }
      return { learned, unknown: count(404), duplicate: count(409), results: items.map((_, i) => resultOf(i)), metrics: current.metrics.values() };
    },
  });

  const notRegistry = () =>
    new RequestError(404, 'not serving a model registry: start the server on a registry directory (sluice serve REG) to list and activate versions');
  app.get('/models', async () => {
    if (!registry) throw notRegistry();
    return {
      active: registry.active(),
      serving: current.version ?? null,
      versions: registry.versions().map(({ version, meta }) => ({
        version,
        created: meta.created,
        task: meta.task,
        rows: meta.data?.rows ?? null,
        metrics: meta.metrics,
      })),
    };
  });

  // One activation at a time: each waits for the one before it.
  let activating: Promise<unknown> = Promise.resolve();
  const activate = async (version: string): Promise<{ serving: string; previous: string | null }> => {
    if (!registry) throw notRegistry();
    const known = registry.versions().map((v) => v.version);
    if (!known.includes(version)) throw new RequestError(404, `unknown version ${JSON.stringify(version)}; known: ${known.join(', ') || 'none'}`, { known });
    const previous = current.version ?? null;
    let next: SavedPipeline;
    try {
      // Checks every file of the version against its SHA256SUMS.
      next = await loadPipeline(registry.versionDir(version));
    } catch (e) {
      if (e instanceof SluiceError) throw new RequestError(422, `${version} cannot be loaded: ${e.message}`, { version });
      throw e;
    }
    try {
      if (next.task !== current.model.task)
        throw new RequestError(409, `${version} is a ${next.task} model; the server serves a ${current.model.task} model (restart it to change task)`, {
          version,
        });
      const want = typesKey(types),
        got = typesKey(next.inputTypes);
      if (want !== got)
        throw new RequestError(409, `${version} reads other input columns than the served model: ${got} instead of ${want} (restart the server to serve it)`, {
          version,
        });
      // /learn and /feedback read labels as the first model did (its label columns, types and
      // classes, and the codes of logged predictions): a version that reads them otherwise is refused.
      const labels = (m: SavedPipeline) => JSON.stringify({ columns: m.labelColumns, types: m.labelTypes, classes: m.classes });
      if (labels(next) !== labels(model))
        throw new RequestError(
          409,
          `${version} has other labels than the served model: ${labels(next)} instead of ${labels(model)} (restart the server to serve it)`,
          { version },
        );
      registry.activate(version);
    } catch (e) {
      await next.dispose();
      if (e instanceof SluiceError) throw new RequestError(422, `${version} cannot be activated: ${e.message}`, { version });
      throw e;
    }
    const old = current;
    current = prepare(next, version);
    modelInfo.reset();
    modelInfo.set({ task: next.task, version }, 1);
    old.retired = true;
    if (old.inflight === 0) await release(old);
    return { serving: version, previous };
  };
  app.post('/models/:version/activate', async (request) => {
    const { version } = request.params as { version: string };
    const run = activating.then(() => activate(version));
    activating = run.catch(() => {});
    return run;
  });
  // Publishing: one at a time, in the activations' queue (no swap while a version is written).
  // A publish asked for while another waits to start is covered by it.
  const publishState: { published: number; failed: number; last?: { version: string; reason: PublishReason; at: string; ms: number }; error?: string } = {
    published: 0,
    failed: 0,
  };
  /** Rows the served model had learned when its last version was published (a schedule with nothing new skips). */
  const learnedAtPublish = new WeakMap<ServedModel, number>();
  let waiting: Promise<void> | null = null;
  const publishNow = (reason: PublishReason): Promise<void> => {
    if (waiting) return waiting;
    const run = activating.then(async () => {
      waiting = null;
      await publishOnce(reason);
    });
    activating = run.catch(() => {});
    waiting = run;
    return run;
  };
  const publishOnce = async (reason: PublishReason): Promise<void> => {
    const served = current;
    const total = (s: ServedModel) => s.learned.learn + s.learned.feedback + s.learned.stream;
    if (reason !== 'drift' && total(served) === (learnedAtPublish.get(served) ?? 0)) return;
    try {
      const p = await publishServed(served, {
        reason,
        learnFrom: stream?.status() ?? null,
        ...(options.rolling !== undefined ? { rolling: options.rolling } : {}),
        registry: publishTo!,
        lockTryMs,
        lockWaitMs,
      });
      const { version, meta } = p.info;
      const learned = p.snapshot.learned.learn + p.snapshot.learned.feedback + p.snapshot.learned.stream;
      learnedAtPublish.set(served, learned);
      // The model served is that version: it is not reloaded.
      served.version = version;
      if (served === current) {
        modelInfo.reset();
        modelInfo.set({ task: served.model.task, version }, 1);
      }
      const ms = p.ms.snapshot + p.ms.write + p.ms.publish;
      publishState.published++;
      publishState.last = { version, reason, at: meta.created, ms };
      published!.inc({ reason });
      say(
        `published ${version} (${reason}; parent ${meta.parent ?? 'none'}; ${learned} rows learned since ${served.loaded ?? 'start'}) in ${ms.toFixed(0)} ms (state ${p.ms.snapshot.toFixed(0)}, files ${p.ms.write.toFixed(0)}, registry ${p.ms.publish.toFixed(0)})`,
      );
    } catch (e) {
      publishState.failed++;
      publishState.error = (e as Error)?.message ?? String(e);
      publishFailures!.inc();
      say(`publish (${reason}) failed: ${publishState.error}; serving and learning go on`);
    }
  };
  let timer: NodeJS.Timeout | null = null;

  const stream = options.learnFrom
    ? new LearnFrom(model, options.learnFrom, {
        using,
        onLearned: (rows) => {
          if (rows > 0) learnedRows.inc({ endpoint: 'stream' }, rows);
        },
        onRows: (rows) => streamRows!.inc(rows),
        onSkipped: (reason) => streamSkipped!.inc({ reason }),
        log: say,
      })
    : null;
  app.addHook('onReady', async () => {
    stream?.start();
    if (pub?.every !== undefined && timer === null) {
      timer = setInterval(() => void publishNow('schedule'), pub.every * 1000);
      timer.unref();
    }
  });
  app.addHook('onClose', async () => {
    if (timer !== null) clearInterval(timer);
    await stream?.stop();
    // With publishing on, what the model learned since its last version is published before it is freed: a clean stop loses none of it.
    if (pub) await publishNow('shutdown');
    await activating;
    await release(current);
  });

  return app;
}

/** The input column types as a comparable string (sorted by name). */
function typesKey(types: Readonly<Record<string, ColumnType>> | null): string {
  if (types === null) return '(not recorded)';
  return Object.keys(types)
    .sort()
    .map((k) => `${k}:${types[k]}`)
    .join(', ');
}

/** The rows as sent, each with the prediction fields added. */
function answerRows(rows: readonly Row[], scored: Batch, added: readonly string[]): Row[] {
  const cols = added.map((name) => scored.column(name));
  const out = new Array<Row>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const o: Row = { ...rows[i] };
    for (let k = 0; k < added.length; k++) {
      const c = cols[k]!;
      o[added[k]!] = c.type === 'category' ? c.dictionary.get(c.codes[i]!) : (c as { values: Float64Array }).values[i]!;
    }
    out[i] = o;
  }
  return out;
}

/**
 * NDJSON rows answered as their lines (each an object, as the schema checked) with the prediction
 * fields appended before the closing brace: the same JSON as the row written out again with them,
 * without writing it out again.
 */
function answerLines(rows: readonly Row[], lines: readonly string[], scored: Batch, added: readonly string[]): string {
  const cols = added.map((name) => scored.column(name));
  const keys = added.map((name) => `${JSON.stringify(name)}:`);
  const parts = new Array<string>(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const line = lines[i]!;
    let tail = '';
    for (let k = 0; k < added.length; k++) {
      const c = cols[k]!;
      const v = c.type === 'category' ? JSON.stringify(c.dictionary.get(c.codes[i]!)) : JSON.stringify((c as { values: Float64Array }).values[i]!);
      tail += `${k === 0 && isEmpty(rows[i]!) ? '' : ','}${keys[k]}${v}`;
    }
    parts[i] = `${line.slice(0, -1)}${tail}}`;
  }
  parts[rows.length] = '';
  return parts.join('\n');
}

function isEmpty(r: Row): boolean {
  for (const _ in r) return false;
  return true;
}

/** The model's raw output per row (row-major, as `model.predict` gives it), read back from the columns predict added. */
function outputsOf(served: ServedModel, scored: Batch): Float32Array {
  const m = served.model;
  const w = m.model.outputs;
  const n = scored.length;
  const out = new Float32Array(n * w);
  const c = m.columns();
  const names = m.task === 'binary' ? [c.probability!] : m.task === 'multiclass' ? c.perClass! : [c.prediction];
  names.forEach((name, k) => {
    const values = (scored.column(name) as { values: Float64Array }).values;
    for (let i = 0; i < n; i++) out[i * w + k] = values[i]!;
  });
  return out;
}

/** Row i of a batch as an object (the model's columns of an Arrow row logged for feedback). */
function rowOf(batch: Batch, i: number): Row {
  const o: Row = {};
  for (const name of batch.names) o[name] = batch.value(name, i);
  return o;
}

function pick(r: Row, schema: Schema): Row {
  const o: Row = {};
  for (const name of schema.names) o[name] = r[name] ?? null;
  return o;
}

/** A feedback id as its key: a non-empty string up to 256 characters, or a finite number (its decimal text). */
function idKey(v: unknown, field: string, i: number, one: boolean): string {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v !== '' && v.length <= MAX_ID_LENGTH) return v;
  throw new RequestError(
    400,
    `${whereRow(i, one)}column "${field}": an id is a non-empty string of at most ${MAX_ID_LENGTH} characters or a finite number, got ${JSON.stringify(v)?.slice(0, 80)}`,
    {
      field,
      ...atRow(i, one),
    },
  );
}

function labelWanted(model: SavedPipeline): string {
  return model.task === 'regression'
    ? 'expected a finite number (the target)'
    : `expected one of the model's classes ${model.classes!.map((c) => JSON.stringify(c)).join(', ')}`;
}

/**
 * The model's columns of labelled rows with the label added as the steps read it: the target
 * column's labels, checked against the model's classes (or as finite numbers), as a column of the
 * class names (values); or, when the target is an expression, the columns it reads (`readLabels`
 * builds them, typed as in training), which the target step turns into the label.
 */
function withLabels(
  model: SavedPipeline,
  inputs: Batch,
  n: number,
  value: (name: string, i: number) => unknown,
  one: boolean,
  readLabels: (schema: Schema | null) => Batch,
): Batch {
  const target = model.target!;
  if (model.labelColumns.length === 1 && model.labelColumns[0] === target) {
    const codes = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const v = value(target, i);
      const c = model.labelCode(v);
      if (Number.isNaN(c))
        throw new RequestError(
          400,
          `${whereRow(i, one)}column "${target}": ${v === null || v === undefined ? 'a label is needed (POST /learn learns labelled rows)' : labelWanted(model)}, got ${JSON.stringify(v ?? null)}`,
          {
            field: target,
            ...atRow(i, one),
          },
        );
      codes[i] = c;
    }
    return withTarget(model, inputs, codes);
  }
  // A derived target: its inputs as they were typed in training (guessed from the values when not recorded).
  const lt = model.labelTypes;
  const known = lt !== null && model.labelColumns.every((c) => Object.hasOwn(lt, c));
  const labels = readLabels(known ? schemaOf(Object.fromEntries(model.labelColumns.map((c) => [c, lt![c]!]))) : null);
  return inputs.withColumns(model.labelColumns.map((name) => ({ name, column: labels.column(name) })));
}

/** `inputs` with the target column: class names (codes into the model's classes) or values. */
function withTarget(model: SavedPipeline, inputs: Batch, codes: readonly number[]): Batch {
  const column: Column =
    model.task === 'regression'
      ? { type: 'number', values: Float64Array.from(codes), validity: null }
      : { type: 'category', codes: Int32Array.from(codes), dictionary: new StringDictionary(model.classes!), validity: null };
  return inputs.withColumn(model.target!, column, false);
}

/** `{ id, label }` items of an Arrow feedback body (columns id and label, nothing else). */
function feedbackFromArrow(b: Batch): Array<{ id: string | number; label: unknown }> {
  for (const name of b.names)
    if (name !== 'id' && name !== 'label') throw new RequestError(400, `unknown column "${name}": feedback is { "id": ..., "label": ... }`, { field: name });
  for (const name of ['id', 'label'])
    if (!b.has(name)) throw new RequestError(400, `missing column "${name}" (feedback is { "id": ..., "label": ... })`, { field: name });
  const out: Array<{ id: string | number; label: unknown }> = [];
  for (let i = 0; i < b.length; i++) out.push({ id: b.value('id', i) as string | number, label: b.value('label', i) });
  return out;
}

function positiveInt(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isSafeInteger(v) || v < 1) throw new SpecError(name, `expected an integer ≥ 1, got ${String(v)}`);
  return v;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
