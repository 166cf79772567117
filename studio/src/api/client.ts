// api/: the one typed client between every screen and the server. Nothing else calls fetch. It
// sends the session cookie (same origin) and the CSRF token on writes, the UI language as
// Accept-Language, ETags as If-Match, and turns every error answer into an ApiError that keeps
// the server's JSON-pointer details so forms can put each message next to its field.

/** One problem the server names by JSON pointer (e.g. `/priority`). */
export interface ErrorDetail {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetail[];
  /** The server's answer body, for errors that carry more (a 412 names the current record). */
  readonly body: unknown;
  constructor(init: { status: number; code: string; message: string; details?: ErrorDetail[]; body?: unknown }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.body = init.body;
  }
}

let csrfToken: string | undefined;
let language = 'en';
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}
export function setApiLanguage(lang: string): void {
  language = lang;
}
/** Called when a request answers 401 (the session ended): the app shows the sign-in page. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /** A record's version, sent as If-Match. */
  ifMatch?: number | string;
  contentType?: string;
  /** A 401 here is an expected answer (sign-in), not a session that ended. */
  quiet401?: boolean;
  signal?: AbortSignal;
  /** An admin's read answered as another user or role (`user:<id>` / `role:<name>`): the API's "view as". */
  viewAs?: string;
}

export interface ApiAnswer<T> {
  status: number;
  body: T;
  etag: string | undefined;
  headers: Headers;
}

export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function requestRaw(path: string, options: RequestOptions = {}): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': language };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  if (options.viewAs !== undefined) headers['x-crm-view-as'] = options.viewAs;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  return fetch(withQuery(path, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<ApiAnswer<T>> {
  const response = await requestRaw(path, options);
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    if (response.status === 401 && !options.quiet401) for (const l of unauthenticatedListeners) l();
    throw new ApiError({ status: response.status, code: error?.code ?? `HTTP_${response.status}`, message: error?.message ?? response.statusText, details: error?.details ?? [], body: parsed });
  }
  const etag = response.headers.get('etag')?.replace(/^W\//, '').replace(/"/g, '') ?? undefined;
  return { status: response.status, body: parsed as T, etag, headers: response.headers };
}

export async function getJson<T>(path: string, query?: RequestOptions['query']): Promise<T> {
  return (await request<T>(path, { query })).body;
}
export async function postJson<T>(path: string, body?: unknown, options: Omit<RequestOptions, 'method' | 'body'> = {}): Promise<T> {
  return (await request<T>(path, { ...options, method: 'POST', body: body ?? {} })).body;
}

/** Sends a file as the raw request body (uploads), with the CSRF token; errors as for `request`. */
export async function postBinary<T>(path: string, body: Blob, contentType: string, extraHeaders: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extraHeaders, accept: 'application/json', 'accept-language': language, 'content-type': contentType };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, { method: 'POST', headers, body, credentials: 'same-origin' });
  const text = await response.text();
  const parsed: unknown = text && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    if (response.status === 401) for (const l of unauthenticatedListeners) l();
    throw new ApiError({ status: response.status, code: error?.code ?? `HTTP_${response.status}`, message: error?.message ?? response.statusText, details: error?.details ?? [], body: parsed });
  }
  return parsed as T;
}
