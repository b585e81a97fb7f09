// The HTTP server: a saved pipeline behind POST /predict, GET /health and Prometheus /metrics
// (fastify). It sits at the top of the layering, beside cli/ and tui/. Learning, feedback (late
// labels) and hot swap to a new version are still to come.

export { createServer, type ServerOptions } from './createServer.js';
