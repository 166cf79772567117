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

export interface TestServer extends ApiClient {
  url: string;
  clock: ManualClock;
  dataDir: string;
  server: RunningServer;
  close(): Promise<void>;
}

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

export async function startTestServer(options: Partial<ServerOptions> & { clock?: ManualClock; dataDir?: string } = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'crm-test-')));
  const clock = options.clock ?? new ManualClock('2026-03-01T09:00:00.000Z');
  const server = await startServer({ ...options, dataDir, clock, port: 0 });
  const client = apiClient(server.url);
  return {
    ...client,
    url: server.url,
    clock,
    dataDir,
    server,
    async close() {
      await server.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
