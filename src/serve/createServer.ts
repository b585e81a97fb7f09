import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { BadInputError, BadRows, Batch, type ColumnType, parseDatetime, Schema, SchemaError, SluiceError, SpecError, Telemetry } from '../core/index.js';
import { loadPipeline, type SavedPipeline } from '../operators/index.js';
import { ModelRegistry } from '../registry/index.js';

export interface ServerOptions {
  /** When set, POST endpoints need `Authorization: Bearer <token>` (GET /health and /metrics stay open). */
  token?: string;
  /** Largest request body in bytes (default 1 MiB); a larger one is a 413. */
  maxBodyBytes?: number;
  /** Most rows in one request (default 10,000); more is a 413. */
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
}

/** A model being served: its version, what its requests need, and how many requests are using it. */
interface Served {
  model: SavedPipeline;
  version: string | undefined;
  added: string[];
  inflight: number;
  /** Swapped out: disposed of when `inflight` drops to 0. */
  retired: boolean;
  disposed: boolean;
}

const MIB = 1 << 20;
const NDJSON = 'application/x-ndjson';
/** A cell the server passes through: a scalar. A nested object or array is refused, never walked. */
const CELL = { type: ['string', 'number', 'boolean', 'null'] };
const ENDPOINTS = 'POST /predict, GET /health, GET /metrics';

type Row = Record<string, unknown>;

/** A 4xx answer: `{ error, field?, row? }`. */
class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly body: { field?: string; row?: number; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

/**
 * The HTTP face of a saved pipeline: POST /predict scores rows with `model.predictBatch`, GET
 * /health says it is up, GET /metrics gives Prometheus text from a registry of its own (two
 * servers in one process do not share counters). Every bad request is a 4xx with a JSON body
 * `{ error, field? }` naming what is wrong; a request body is parsed as data and never evaluated.
 * The caller listens, closes and disposes of the model. The model's steps are set to fail on a
 * bad row (a 422 naming it) instead of dropping it, so each answer row matches its input row.
 */
export function createServer(model: SavedPipeline, options: ServerOptions = {}): FastifyInstance {
  const maxBodyBytes = positiveInt('maxBodyBytes', options.maxBodyBytes, MIB);
  const maxRows = positiveInt('maxRows', options.maxRows, 10_000);
  if (options.token !== undefined && (typeof options.token !== 'string' || options.token === '')) throw new SpecError('token', 'expected a non-empty string');
  const tokenHash = options.token === undefined ? null : sha256(options.token);

  const registry = options.registry === undefined ? null : ModelRegistry.open(options.registry.dir);
  // A private telemetry: the server's bad rows are answered, not reported to the process's stream.
  const telemetry = new Telemetry();
  const prepare = (m: SavedPipeline, version: string | undefined): Served => {
    m.setBadRows((step) => new BadRows(step, { badRows: 'fail', telemetry }));
    return { model: m, version, added: m.addedColumns(), inflight: 0, retired: false, disposed: false };
  };
  let current = prepare(model, options.registry?.version ?? options.version);
  // The request schema is the first model's; a version with other input columns is refused (409).
  const types = model.inputTypes;
  const endpoints = registry ? `${ENDPOINTS}, GET /models, POST /models/:version/activate` : ENDPOINTS;
  const release = async (s: Served): Promise<void> => {
    if (s.disposed || !registry) return;
    s.disposed = true;
    await s.model.dispose();
  };

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: maxBodyBytes,
    // Types are checked, never coerced: "3" in a number column is an error, [1] is not 1.
    ajv: { customOptions: { coerceTypes: false, allowUnionTypes: true, allErrors: false } },
  });

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
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics],
  });
  const predicted = new Counter({ name: 'sluice_predicted_rows_total', help: 'Rows scored by POST /predict', registers: [metrics] });
  const modelInfo = new Gauge({
    name: 'sluice_model_info',
    help: 'The model served (always 1; its task and version are labels)',
    labelNames: ['task', 'version'] as const,
    registers: [metrics],
  });
  modelInfo.set({ task: model.task, version: current.version ?? '' }, 1);

  app.addHook('onRequest', async (request, reply) => {
    if (tokenHash === null || request.method !== 'POST') return;
    const m = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!m || !timingSafeEqual(sha256(m[1]!), tokenHash)) {
      reply.header('www-authenticate', 'Bearer');
      throw new RequestError(401, m ? 'wrong bearer token' : 'missing Authorization: Bearer <token> header', { field: 'authorization' });
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    // Unknown paths share one label, so a scanner cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, method: request.method, status: String(reply.statusCode) });
    latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
  });

  // Rows come as JSON or NDJSON; a text/plain body is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  // NDJSON: one row per line; blank lines are skipped. Parsed into an array, validated as one.
  app.addContentTypeParser(NDJSON, { parseAs: 'string' }, (_request, body, done) => {
    const rows: unknown[] = [];
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
    }
    done(null, rows);
  });

  app.setErrorHandler((error: FastifyError | RequestError, request, reply) => {
    if (error instanceof RequestError) return reply.code(error.statusCode).send({ error: error.message, ...error.body });
    if (error.validation) return reply.code(400).send(describeInvalid(error.validation, request.body, types));
    const status = error.statusCode ?? 500;
    if (status === 413 && error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send({ error: `request body over ${maxBodyBytes} bytes (maxBodyBytes)`, limit: maxBodyBytes });
    if (status === 400 && (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'))
      return reply.code(400).send({ error: 'malformed JSON: the body does not parse (a "__proto__" key is refused too)' });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send({ error: `content-type ${request.headers['content-type'] ?? '(none)'}: send application/json or ${NDJSON}` });
    if (status >= 400 && status < 500) return reply.code(status).send({ error: error.message });
    request.log.error(error);
    return reply.code(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: `no endpoint ${request.method} ${request.url.split('?')[0]}; the endpoints are ${endpoints}` });
  });

  app.get('/health', async () => ({ status: 'ok', task: current.model.task, ...(current.version !== undefined ? { version: current.version } : {}) }));
  app.get('/metrics', async (_request, reply) => {
    reply.type(metrics.contentType);
    return metrics.metrics();
  });

  app.post('/predict', {
    schema: { body: bodySchema(types) },
    // Before validation, so a huge array is refused for its size, not for its hundredth row.
    preValidation: async (request) => {
      if (Array.isArray(request.body) && request.body.length > maxRows) throw tooManyRows(String(request.body.length), maxRows);
    },
    handler: async (request: FastifyRequest, reply: FastifyReply) => {
      const ndjson = (request.headers['content-type'] ?? '').toLowerCase().startsWith(NDJSON);
      const one = !Array.isArray(request.body);
      const rows = (one ? [request.body] : request.body) as Row[];
      // The model this request started with, held until it ends even if another is swapped in.
      const served = current;
      served.inflight++;
      let out: Row[];
      try {
        out = await score(served.model, rows, types, served.added, one);
      } finally {
        served.inflight--;
        if (served.retired && served.inflight === 0) await release(served);
      }
      predicted.inc(out.length);
      if (ndjson) {
        reply.type(NDJSON);
        return out.map((r) => `${JSON.stringify(r)}\n`).join('');
      }
      return one ? out[0] : out;
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
  app.addHook('onClose', async () => {
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

/** The rows with the prediction fields added; a 400 names a value the model cannot read, a 422 a row its steps reject. */
async function score(model: SavedPipeline, rows: Row[], types: Readonly<Record<string, ColumnType>> | null, added: string[], one: boolean): Promise<Row[]> {
  if (rows.length === 0) return [];
  const at = (i: number) => (one ? {} : { row: i });
  const where = (i: number) => (one ? '' : `row ${i}: `);
  // Only the model's columns go into the batch; other fields pass through untouched.
  const input = rows.map((r, i) => {
    for (const name of added)
      if (Object.hasOwn(r, name))
        throw new RequestError(400, `${where(i)}column "${name}": the input already has a field the prediction adds`, { field: name, ...at(i) });
    if (types === null) return r;
    const o: Row = {};
    for (const [name, type] of Object.entries(types)) o[name] = cell(r[name], type, name, () => ({ where: where(i), at: at(i) }));
    return o;
  });
  const fields = types === null ? undefined : new Schema(Object.entries(types).map(([name, type]) => ({ name, type, nullable: true })));
  const b = Batch.fromRows(input, fields);
  // Lines 1..n, so a step's BadInputError says which row it rejected.
  const batch = new Batch(
    b.schema,
    b.columns,
    b.length,
    b.rowIds,
    Float64Array.from({ length: b.length }, (_, i) => i + 1),
  );
  let scored: Batch;
  try {
    scored = await model.predictBatch(batch);
  } catch (e) {
    if (e instanceof BadInputError) {
      const i = e.location.line - 1;
      throw new RequestError(422, `${where(i)}rejected by the model's ${e.location.source} step: ${e.reason}: ${e.message.replace(/^.*?: /, '')}`, {
        ...(e.location.field !== undefined ? { field: e.location.field } : {}),
        ...at(i),
        reason: e.reason,
      });
    }
    if (e instanceof SchemaError && e.column !== undefined) throw new RequestError(422, e.message, { field: e.column });
    throw e;
  }
  if (scored.length !== rows.length) throw new Error(`predict returned ${scored.length} rows for ${rows.length}`);
  return rows.map((r, i) => {
    const o: Row = { ...r };
    for (const name of added) o[name] = scored.value(name, i);
    return o;
  });
}

/** One value for its column, as fromRows will store it; the schema has checked its JSON type. */
function cell(v: unknown, type: ColumnType, name: string, loc: () => { where: string; at: object }): unknown {
  if (v === null || v === undefined) return null;
  const fail = (what: string) => {
    const { where, at } = loc();
    return new RequestError(400, `${where}column "${name}": ${what}, got ${JSON.stringify(v)}`, { field: name, ...at });
  };
  switch (type) {
    case 'number':
    case 'integer':
      // 1e999 parses to Infinity: not a number a model can take.
      if (typeof v !== 'number' || !Number.isFinite(v)) throw fail(`expected a finite ${type}`);
      return v;
    case 'datetime': {
      const t = typeof v === 'number' ? v : typeof v === 'string' ? parseDatetime(v) : undefined;
      if (t === undefined || !Number.isFinite(t)) throw fail('expected an ISO 8601 date or epoch milliseconds');
      return t;
    }
    case 'category':
    case 'text':
      // As a CSV cell would read: 3 is the category "3".
      return String(v);
    default:
      return v;
  }
}

/** The body's JSON schema: a row object or an array of them; the model's columns typed and required. */
function bodySchema(types: Readonly<Record<string, ColumnType>> | null): object {
  const properties = Object.fromEntries(Object.entries(types ?? {}).map(([name, type]) => [name, columnSchema(type)]));
  const row = { properties, required: Object.keys(properties), additionalProperties: CELL };
  return { type: ['object', 'array'], ...row, items: { type: 'object', ...row } };
}

function columnSchema(type: ColumnType): object {
  switch (type) {
    case 'number':
      return { type: ['number', 'null'] };
    case 'integer':
      return { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647 };
    case 'boolean':
      return { type: ['boolean', 'null'] };
    case 'datetime':
      return { type: ['string', 'number', 'null'] };
    default:
      return CELL;
  }
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Fastify's first schema error as `{ error, field?, row? }`, in the model's terms. */
function describeInvalid(errors: readonly AjvError[], body: unknown, types: Readonly<Record<string, ColumnType>> | null): object {
  const e = errors[0]!;
  const path = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const many = Array.isArray(body);
  const row = many && path.length > 0 ? Number(path[0]) : undefined;
  const field = path[many ? 1 : 0];
  const where = row !== undefined ? `row ${row}: ` : '';
  const at = row !== undefined ? { row } : {};
  if (e.keyword === 'required') {
    const missing = String(e.params.missingProperty);
    return {
      error: `${where}missing column "${missing}" (the model reads ${Object.keys(types ?? {}).join(', ')}; null is a missing value)`,
      field: missing,
      ...at,
    };
  }
  if (field === undefined)
    return { error: row !== undefined ? `${where}expected an object (one row)` : 'expected a JSON object (one row) or an array of them', ...at };
  const value = many ? (body as Row[])[row!]?.[field] : (body as Row)[field];
  const got =
    value !== null && typeof value === 'object'
      ? `a nested ${Array.isArray(value) ? 'array' : 'object'} (cells are scalars)`
      : typeof value === 'number' && !Number.isFinite(value)
        ? 'a number beyond a double (it reads as Infinity)'
        : JSON.stringify(value);
  const type = types && Object.hasOwn(types, field) ? types[field]! : null;
  const expected =
    e.keyword === 'type'
      ? `expected ${type ? `${type === 'category' || type === 'text' ? 'a string' : `a ${type}`} or null` : 'a string, number, boolean or null'}`
      : (e.message ?? e.keyword);
  return { error: `${where}column "${field}": ${expected}, got ${got}`, field, ...at };
}

function tooManyRows(n: string, max: number): RequestError {
  return new RequestError(413, `too many rows: ${n}, at most ${max} per request (maxRows)`, { limit: max });
}

function positiveInt(name: string, v: number | undefined, def: number): number {
  if (v === undefined) return def;
  if (!Number.isSafeInteger(v) || v < 1) throw new SpecError(name, `expected an integer ≥ 1, got ${String(v)}`);
  return v;
}

function sha256(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
