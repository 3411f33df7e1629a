/** Transport for the Casebook API: cookies, CSRF header, If-Match, and problem documents as typed errors. */

export interface FieldError {
  /** Field key with the "body." prefix removed, e.g. "legalFirstName", "owner.password", "phones.0.number". */
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
  reason?: string;
  currentVersion?: number;
  current?: unknown;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly fieldErrors: FieldError[];
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.title = problem.title;
    this.detail = problem.detail;
    this.problem = problem;
    this.fieldErrors = (problem.errors ?? []).map((e) => ({
      path: e.path.replace(/^(body|querystring|params)\./, ''),
      message: e.message,
    }));
  }

  get reason(): string | undefined {
    return typeof this.problem.reason === 'string' ? this.problem.reason : undefined;
  }

  /** A write based on a version someone else already replaced. */
  get isStale(): boolean {
    return this.status === 412;
  }
}

/** A network failure or a response that is not a problem document. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError({
    title: 'Network error',
    status: 0,
    detail: 'Casebook could not be reached. Check your connection and try again.',
  });
}

let csrfToken: string | null = null;
let lastActivityAt = 0;
type UnauthorizedListener = (reason: string | undefined) => void;
let onUnauthorized: UnauthorizedListener | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The session layer hears about a 401 from any request that does not handle it itself. */
export function setUnauthorizedListener(fn: UnauthorizedListener | null): void {
  onUnauthorized = fn;
}

/** Time of the last request the server counted as activity (for the idle warning). */
export function lastServerActivity(): number {
  return lastActivityAt;
}

export interface RequestOptions {
  body?: unknown;
  /** The version the caller read; sent as If-Match. */
  version?: number;
  /** The caller shows its own message for 401 (wrong password or code) instead of signing out. */
  handles401?: boolean;
  /** Does not count as activity on the server (GET /auth/me). */
  passive?: boolean;
  signal?: AbortSignal;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (opts.version !== undefined) headers['if-match'] = `"${opts.version}"`;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw toApiError(err);
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!res.ok) {
    const problem: Problem =
      parsed && typeof parsed === 'object' && 'status' in parsed
        ? (parsed as Problem)
        : {
            title: res.statusText || 'Error',
            status: res.status,
            detail: 'The server could not complete the request.',
          };
    const error = new ApiError(problem);
    if (res.status === 401 && !opts.handles401) onUnauthorized?.(error.reason);
    throw error;
  }
  if (!opts.passive) lastActivityAt = Date.now();
  return parsed as T;
}

/** Query string from defined, non-empty values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A file from the API (GET or POST): the body as a Blob, its filename and headers; problems as ApiError. */
export async function requestFile(
  method: string,
  path: string,
  opts: { body?: unknown; raw?: { data: Blob; type: string } } = {},
): Promise<{ blob: Blob; filename: string; headers: Headers }> {
  const headers: Record<string, string> = { accept: '*/*' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.raw) headers['content-type'] = opts.raw.type;
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      cache: 'no-store',
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      ...(opts.raw ? { body: opts.raw.data } : {}),
    });
  } catch (err) {
    throw toApiError(err);
  }
  if (!res.ok) {
    let problem: Problem = {
      title: res.statusText || 'Error',
      status: res.status,
      detail: 'The file could not be made.',
    };
    try {
      const parsed = (await res.json()) as unknown;
      if (parsed && typeof parsed === 'object' && 'status' in parsed) problem = parsed as Problem;
    } catch {
      // Not a problem document: keep the generic message.
    }
    const error = new ApiError(problem);
    if (res.status === 401) onUnauthorized?.(error.reason);
    throw error;
  }
  lastActivityAt = Date.now();
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  return { blob: await res.blob(), filename: m?.[1] ?? 'download', headers: res.headers };
}
