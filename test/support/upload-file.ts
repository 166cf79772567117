// One file uploaded through the real API as the test server's administrator (POST /api/files), its 201 checked:
// the files, merge and privacy suites attach files to records this way.

import { expect } from 'vitest';
import type { TestServer } from './test-server.ts';

export async function uploadFile(server: TestServer, file: { entity: string; field: string; name: string; text: string; contentType?: string }): Promise<string> {
  const res = await fetch(`${server.url}/api/files?entity=${file.entity}&field=${file.field}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.admin!.token}`, 'content-type': file.contentType ?? 'text/plain', 'x-file-name': encodeURIComponent(file.name) },
    body: file.text,
  });
  const body = (await res.json()) as { id: string };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}
