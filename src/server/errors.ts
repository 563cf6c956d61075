import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { ValidationError } from '#shared/api-schemas';
import type { ConfigIssue } from '#shared/s3-config';
import { WritingKeyNotHeldError } from './store/writing-key.ts';

/** A 422 found after schema validation (merged patches, rules that need the store), in FastAPI's shape. */
export class UnprocessableError extends Error {
  constructor(readonly detail: ValidationError[]) {
    super('Unprocessable request');
  }
}

export const configIssuesToDetail = (issues: ConfigIssue[]): ValidationError[] =>
  issues.map((issue) => ({ loc: ['body', 'config', issue.field], msg: issue.message, type: issue.type }));

/** Any 4xx other than 422: one sentence. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// FastAPI names request parts "body", "query", "path", "header".
const LOCATION: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

const ZOD_TYPES: Record<string, string> = {
  invalid_type: 'type_error',
  too_big: 'too_long',
  too_small: 'too_short',
  invalid_value: 'value_error',
  invalid_format: 'value_error',
  unrecognized_keys: 'extra_forbidden',
};

type ZodValidationEntry = { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> };

function zodDetail(context: string, entries: ZodValidationEntry[]): ValidationError[] {
  return entries.map((entry) => {
    const path = entry.instancePath
      .split('/')
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    const custom = (entry.params.params as { type?: unknown } | undefined)?.type;
    return {
      loc: [LOCATION[context] ?? context, ...path],
      msg: entry.message ?? 'This value is not valid',
      type: typeof custom === 'string' ? custom : (ZOD_TYPES[entry.keyword] ?? entry.keyword),
    };
  });
}

/** Issues of a schema applied by hand (not by the route) → FastAPI's detail, under `prefix`. */
export function zodIssuesToDetail(
  issues: { path: PropertyKey[]; message: string; code: string; params?: Record<string, unknown> }[],
  prefix: (string | number)[],
): ValidationError[] {
  return issues.map((issue) => {
    const custom = issue.params?.type;
    return {
      loc: [...prefix, ...issue.path.map((part) => (typeof part === 'number' ? part : String(part)))],
      msg: issue.message,
      type: typeof custom === 'string' ? custom : (ZOD_TYPES[issue.code] ?? issue.code),
    };
  });
}

const BODY_ERRORS: Record<string, ValidationError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { loc: ['body'], msg: 'The request body is not valid JSON', type: 'json_invalid' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { loc: ['body'], msg: 'The request body is empty: send a JSON object', type: 'missing' },
};

export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return reply.code(422).send({ detail: zodDetail(error.validationContext ?? 'body', error.validation) });
    }
    if (error instanceof UnprocessableError) return reply.code(422).send({ detail: error.detail });
    if (error instanceof HttpError) return reply.code(error.statusCode).headers(error.headers).send({ detail: error.message });
    const bodyError = BODY_ERRORS[error.code];
    if (bodyError) return reply.code(422).send({ detail: [bodyError] });
    if (error instanceof WritingKeyNotHeldError) {
      // The operator's to fix (a restart with the new key), not the client's: said in the log as an error too.
      request.log.error({ keyId: error.keyId }, 'refused to save a secret: this instance does not hold the encryption key now writing');
      return reply.code(503).header('retry-after', '60').send({ detail: error.message });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({ detail: 'The request body is too large (at most 64 KiB)' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ detail: error.message });
    // Never internals in a 5xx: the log has them (with secrets redacted), the client gets a sentence.
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({ detail: 'Something went wrong on the server; the details are in its log' });
  });
}
