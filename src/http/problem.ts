import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError } from '../domain/errors.js';

export interface FieldError {
  path: string;
  message: string;
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z]+/g, '-');
}

/** Sends an RFC 9457 problem document. */
export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
) {
  return reply
    .status(status)
    .type('application/problem+json')
    .send({
      type: `https://casebook.app/problems/${slug(title)}`,
      title,
      status,
      detail,
      instance: req.url.split('?')[0],
      requestId: req.id,
      ...extra,
    });
}

/** The one mapping from failures to HTTP: typed domain errors, validation, and everything else as a safe 500. */
export function problemHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof DomainError) {
    if (err.status === 429 && typeof err.extra.retryAfterSeconds === 'number')
      reply.header('retry-after', String(err.extra.retryAfterSeconds));
    return sendProblem(req, reply, err.status, err.title, err.message, err.extra);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors: FieldError[] = err.validation.map((v) => {
      const issue = (v.params as { issue?: { path?: PropertyKey[]; message?: string } }).issue;
      const path =
        issue?.path?.map(String).join('.') ?? v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return {
        path: `${err.validationContext ?? 'body'}${path ? '.' + path : ''}`,
        message: issue?.message ?? v.message ?? 'Invalid',
      };
    });
    return sendProblem(req, reply, 400, 'Bad Request', 'Some fields are missing or not valid.', { errors });
  }
  if (isResponseSerializationError(err)) {
    req.log.error(
      { err: { message: 'response did not match its schema', issues: err.cause.issues.length } },
      'response serialization',
    );
    return sendProblem(
      req,
      reply,
      500,
      'Internal Server Error',
      'The server could not complete the request.',
    );
  }
  // A database rule the schema enforces (a CHECK, a unique key) that validation did not catch
  // first is the caller's input, not a server fault.
  const pgCode = (err as { code?: unknown }).code;
  if (pgCode === '23514' || pgCode === '23502')
    return sendProblem(req, reply, 422, 'Unprocessable Content', 'A value is not allowed here.');
  if (pgCode === '23000')
    return sendProblem(
      req,
      reply,
      409,
      'Conflict',
      'A signed record cannot be changed. Add an addendum instead.',
    );
  if (pgCode === '23505')
    return sendProblem(req, reply, 409, 'Conflict', 'This conflicts with a record that already exists.');
  // Two requests changed the same records at once (a deadlock or a serialization failure): the
  // database undid this one entirely, and repeating it will work.
  if (pgCode === '40P01' || pgCode === '40001')
    return sendProblem(
      req,
      reply,
      409,
      'Conflict',
      'Someone else changed this at the same moment. Nothing was saved; try again.',
      { retry: true },
    );
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const title =
      status === 413
        ? 'Content Too Large'
        : status === 415
          ? 'Unsupported Media Type'
          : status === 429
            ? 'Too Many Requests'
            : 'Bad Request';
    const detail =
      status === 400 && err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
        ? 'The request body is not valid JSON.'
        : status === 400
          ? 'The request is not valid.'
          : err.message;
    return sendProblem(req, reply, status, title, detail);
  }
  // Log the error class and stack only: messages from the database may quote values.
  req.log.error(
    { err: { type: err.name, code: err.code, stack: err.stack?.split('\n').slice(1, 6).join('\n') } },
    'unhandled error',
  );
  return sendProblem(req, reply, 500, 'Internal Server Error', 'The server could not complete the request.');
}
