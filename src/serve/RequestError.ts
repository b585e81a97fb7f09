/** A 4xx answer: `{ error, field?, row? }` and whatever else the body should say. */
export class RequestError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly body: { field?: string; row?: number; [k: string]: unknown } = {},
  ) {
    super(message);
  }
}

/** A 413 for a request over maxRows. */
export function tooManyRows(n: string, max: number): RequestError {
  return new RequestError(413, `too many rows: ${n}, at most ${max} per request (maxRows)`, { limit: max });
}
