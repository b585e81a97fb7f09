// The HTTP server (fastify): a saved pipeline behind POST /predict, POST /learn (labelled rows,
// each scored before it is learned: the test-then-train engine and its progressive metrics), POST
// /feedback (late labels joined by id to the predictions /predict logged, in a window bounded by
// count and age), GET /health and Prometheus /metrics; bodies as JSON, NDJSON or Arrow IPC; for a
// registry GET /models and hot swap (POST /models/:version/activate); learning from a stream while
// serving (LearnFrom: in slices, so reads wait for one slice at most) and publishing what the served
// model learned as new registry versions (publishServed). It sits at the top of the layering,
// beside cli/ and tui/.

export { createServer, type ServerOptions } from './createServer.js';
export type { LearnFromOptions, LearnFromStatus } from './LearnFrom.js';
export type { PublishReason } from './publishServed.js';
