import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

/** Thrown by routes and services for anything the client should see as a 4xx. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, 'not_found', `${what} not found`);

/** A 400 naming the first few problems in its message and listing all of them in details. */
export function validationError(issues: { path: string; message: string }[], what = 'request'): HttpError {
  const summary = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`).join('; ');
  return new HttpError(400, 'validation_error', `invalid ${what}: ${summary}`, issues);
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const body = (code: string, message: string, details?: unknown): ErrorBody => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

/** pg's pool gave up waiting for a free connection: a temporary overload, not a bug. */
const isOverloaded = (err: Error): boolean => /timeout exceeded when trying to connect/i.test(err.message);

/** One error shape for every 4xx/5xx; no stack traces to clients. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(body('not_found', `no route for ${req.method} ${req.url.split('?')[0]}`));
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof HttpError) {
      return reply.code(err.statusCode).send(body(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const e = validationError(
        err.validation.map((v) => ({
          path: `${err.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}`,
          message: v.message ?? 'invalid',
        })),
      );
      return reply.code(400).send(body(e.code, e.message, e.details));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response did not match its schema');
      return reply.code(500).send(body('internal_error', 'internal error'));
    }
    if (isOverloaded(err)) {
      req.log.warn({ err: err.message }, 'database pool exhausted');
      return reply.code(503).header('retry-after', '1').send(body('overloaded', 'the service is busy; retry in a moment'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(500).send(body('internal_error', 'internal error; the request id is in the x-request-id header'));
    }
    const code =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'payload_too_large'
      : err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type'
      : err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError ? 'invalid_json'
      : status === 429 ? 'rate_limited'
      : 'bad_request';
    const message =
      code === 'invalid_json' ? `the request body is not valid JSON: ${err.message}`
      : code === 'payload_too_large' ? 'the request body is larger than this server accepts'
      : err.message;
    return reply.code(status).send(body(code, message));
  });
}
