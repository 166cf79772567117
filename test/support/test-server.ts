// Starts a real server for a test: a fresh data folder, an ephemeral port, a manual clock, and a
// small JSON client over real HTTP (fetch). Everything is removed again by close().

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../engine/kernel/clock.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../engine/server/start-server.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ApiClient {
  request<T = any>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  get<T = any>(url: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  patch<T = any>(url: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>;
  delete<T = any>(url: string, headers?: Record<string, string>): Promise<ApiResponse<T>>;
}

/** A signed-in user and a client that sends their credentials. */
export interface TestUser {
  id: string;
  email: string;
  password: string;
  client: ApiClient;
}

export interface NewTestUser {
  email?: string;
  password?: string;
  name?: string;
  roles?: string[];
  teams?: string[];
  admin?: boolean;
}

/**
 * A running server. Its own request methods act as the first administrator (created from
 * CRM_ADMIN_EMAIL / CRM_ADMIN_PASSWORD, signed in with an admin API token as a Bearer header).
 */
export interface TestServer extends ApiClient {
  url: string;
  clock: ManualClock;
  dataDir: string;
  server: RunningServer;
  /** The administrator the default client acts as (undefined when started with `withAdmin: false`). */
  admin: { id: string; email: string; password: string; token: string } | undefined;
  /** A client that sends no credentials. */
  anonymous: ApiClient;
  /** Creates a user through the users API and signs them in (session cookie + CSRF header). */
  createUser(user?: NewTestUser): Promise<TestUser>;
  /** Signs in with e-mail and password; the client sends the session cookie and CSRF token. */
  userClient(email: string, password: string): Promise<ApiClient & { csrfToken: string; cookie: string }>;
  /** A client sending `Authorization: Bearer <token>`. */
  tokenClient(token: string): ApiClient;
  /** Creates a team (optionally below a parent) through the teams API. */
  createTeam(name: string, parent?: string): Promise<void>;
  close(): Promise<void>;
}

/** The administrator every test server starts with (tests only: never a product default). */
export const testAdmin = { email: 'admin@crm.test', password: 'harness-pw-7Kq2-2026' } as const;
let userCounter = 0;

/** A JSON client for a base URL; `defaultHeaders` go on every request (e.g. a session or token). */
export function apiClient(baseUrl: string, defaultHeaders: Record<string, string> = {}): ApiClient {
  const request = async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> => {
    const init: RequestInit = { method, headers: { ...defaultHeaders, ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const response = await fetch(baseUrl + url, init);
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  };
  return {
    request,
    get: (url, headers) => request('GET', url, undefined, headers),
    post: (url, body, headers) => request('POST', url, body, headers),
    put: (url, body, headers) => request('PUT', url, body, headers),
    patch: (url, body, headers) => request('PATCH', url, body, headers),
    delete: (url, headers) => request('DELETE', url, undefined, headers),
  };
}

export async function startTestServer(
  options: Partial<ServerOptions> & { clock?: ManualClock; dataDir?: string; withAdmin?: boolean } = {},
): Promise<TestServer> {
  const { withAdmin = true, ...serverOptions } = options;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'crm-test-')));
  const clock = options.clock ?? new ManualClock('2026-03-01T09:00:00.000Z');
  // A slow or loaded test machine must not turn a long request (a template install) into a 503: the
  // time budget's own tests set theirs.
  const env = { CRM_REQUEST_BUDGET_MS: '300000', ...(withAdmin ? { CRM_ADMIN_EMAIL: testAdmin.email, CRM_ADMIN_PASSWORD: testAdmin.password } : {}), ...(options.env ?? {}) };
  const server = await startServer({ ...serverOptions, env, dataDir, clock, port: 0 });
  const anonymous = apiClient(server.url);

  const userClient = async (email: string, password: string) => {
    const res = await anonymous.post<{ csrfToken: string }>('/api/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    return { ...apiClient(server.url, { cookie, 'x-csrf-token': res.body.csrfToken }), csrfToken: res.body.csrfToken, cookie };
  };

  let admin: TestServer['admin'];
  let client = anonymous;
  if (withAdmin) {
    const session = await userClient(env.CRM_ADMIN_EMAIL ?? testAdmin.email, env.CRM_ADMIN_PASSWORD ?? testAdmin.password);
    const me = await session.get<{ user: { id: string } }>('/api/auth/me');
    const token = await session.post<{ token: string }>('/api/auth/tokens', { name: 'test harness', role: 'admin' });
    if (token.status !== 201) throw new Error(`could not create the harness token: ${token.status} ${JSON.stringify(token.body)}`);
    admin = { id: me.body.user.id, email: env.CRM_ADMIN_EMAIL ?? testAdmin.email, password: env.CRM_ADMIN_PASSWORD ?? testAdmin.password, token: token.body.token };
    client = apiClient(server.url, { authorization: `Bearer ${token.body.token}` });
  }

  return {
    ...client,
    url: server.url,
    clock,
    dataDir,
    server,
    admin,
    anonymous,
    userClient,
    tokenClient: (token) => apiClient(server.url, { authorization: `Bearer ${token}` }),
    async createUser(user = {}) {
      const n = ++userCounter;
      const email = user.email ?? `user${n}-${Date.now().toString(36)}@crm.test`;
      const password = user.password ?? `pw-${n}-${Math.random().toString(36).slice(2)}-Zq9`;
      const res = await client.post<{ id: string }>('/api/users', { email, password, roles: user.roles ?? [], teams: user.teams ?? [], ...(user.name ? { name: user.name } : {}), ...(user.admin ? { admin: true } : {}) });
      if (res.status !== 201) throw new Error(`creating ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id, email, password, client: await userClient(email, password) };
    },
    async createTeam(name, parent) {
      const res = await client.post('/api/teams', { name, ...(parent ? { parent } : {}) });
      if (res.status !== 201) throw new Error(`creating team ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async close() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
