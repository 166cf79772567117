// The page at `/` until the studio lands: what this is, and where the API documents are.

import type { RequestHandler } from 'express';

export function studioPlaceholder(version: string): RequestHandler {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CRM engine</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5}</style></head>
<body><h1>CRM metadata engine</h1><p>Version ${version}. 低代码 CRM 元数据引擎。</p>
<ul><li><a href="/api/openapi.json">/api/openapi.json</a> — the REST API, generated from metadata</li>
<li><a href="/api/health">/api/health</a> — health</li>
<li><a href="/api/types.ts">/api/types.ts</a> — TypeScript types of every entity</li></ul></body></html>`;
  return (_req, res) => {
    res.type('html').send(html);
  };
}
