// The HTTP server: a saved pipeline behind POST /predict, GET /health and Prometheus /metrics
// (fastify), and for a registry GET /models and hot swap (POST /models/:version/activate). It sits
// at the top of the layering, beside cli/ and tui/. Learning and feedback (late labels) are still to come.

export { createServer, type ServerOptions } from './createServer.js';
