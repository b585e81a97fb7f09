/**
 * The HTTP server (to come): loads a saved pipeline artifact and serves predict, learn and
 * feedback (late labels) endpoints and Prometheus /metrics, and hot-swaps to a new version
 * without dropping requests. It sits at the top of the layering, beside cli/ and tui/.
 */
export {};
