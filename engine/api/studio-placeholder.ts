// The page at `/` until the studio lands: studio/index.html with the engine's version filled in,
// read once at start.

import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';

const page = new URL('../../studio/index.html', import.meta.url);

export function studioPlaceholder(version: string): RequestHandler {
  const html = readFileSync(page, 'utf8').replaceAll('{{version}}', version.replace(/[<>&"]/g, ''));
  return (_req, res) => {
    res.type('html').send(html);
  };
}
