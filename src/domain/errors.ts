import type { AuditCategory } from './auditCategory.js';

/** Typed failures that the HTTP layer maps to RFC 9457 problem responses in one place. */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly title: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
export class NotFound extends DomainError {
  constructor(what = 'Resource') {
    super(`${what} not found`, 404, 'Not Found');
  }
}
export class Forbidden extends DomainError {
  constructor(message = 'You do not have access to this', extra: Record<string, unknown> = {}) {
    super(message, 403, 'Forbidden', extra);
  }
}
export class Unauthorized extends DomainError {
  constructor(message = 'Sign in to continue', extra: Record<string, unknown> = {}) {
    super(message, 401, 'Unauthorized', extra);
  }
}
export class Invalid extends DomainError {
  constructor(message: string, errors: { path: string; message: string }[] = []) {
    super(message, 422, 'Unprocessable Content', { errors });
  }
}
export class Conflict extends DomainError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, 409, 'Conflict', extra);
  }
}
/** Where a refused stale write is recorded: its 412 shows the current record, which is a view. */
export interface StaleWriteAudit {
  action: string;
  category: AuditCategory;
  clientId?: string;
  entityType: string;
  entityId: string;
}

/** A write based on a version that is no longer current: refused, never merged. */
export class StaleVersion extends DomainError {
  constructor(
    currentVersion: number,
    current: unknown,
    readonly audit?: StaleWriteAudit,
  ) {
    super(
      'This record was changed by someone else since you opened it. Review the current version and apply your change again.',
      412,
      'Precondition Failed',
      { currentVersion, current },
    );
  }
}
export class PreconditionRequired extends DomainError {
  constructor() {
    super('Send If-Match with the version you read', 428, 'Precondition Required');
  }
}
export class TooManyRequests extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, 429, 'Too Many Requests', { retryAfterSeconds });
  }
}
