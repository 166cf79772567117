// http/: the plumbing every router shares — the core's generic routers and the capabilities'
// own (security, workflows, templates, privacy): query-parameter allow-lists, ETags and If-Match
// here; who is calling and the request context in http-context.ts. It sits below api/ and the
// capabilities, so both import downward.

import type { ExpectedVersion } from '../kernel/version-match.ts';
import type { Request, RequestHandler, Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { CrmError, pointerSegment } from '../kernel/errors.ts';

/** No metadata document or record nests this deep; deeper bodies would overflow recursive checks. */
export const maxBodyDepth = 64;

/**
 * The JSON parsers' `verify`: a UTF-8 body must be UTF-8. Bytes that are not would be read as
 * U+FFFD and stored so, silently; refused instead, naming the first one.
 */
export function verifyUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('_', '-') !== 'utf-8' || isUtf8(body)) return;
  // A plain error: the body parser sets `status` on what verify throws (the error handler maps its
  // type, entity.verify.failed, to notUtf8Body).
  throw Object.assign(new Error('the body is not UTF-8 text'), { status: 400 });
}

/** What a body refused by verifyUtf8 answers. */
export function notUtf8Body(): CrmError {
  return new CrmError('BAD_REQUEST', { en: 'The body is not UTF-8 text', zh: '请求体不是 UTF-8 文本' }, [{ path: '', message: 'is not UTF-8 text' }]);
}

/** A string with a lone surrogate (`"\ud800"` in JSON) is no Unicode text: no store, file or page can hold it. */
function badText(value: unknown, at: string): CrmError | undefined {
  if (typeof value !== 'string' || (value as string & { isWellFormed(): boolean }).isWellFormed()) return undefined;
  return new CrmError('BAD_REQUEST', { en: 'The body holds text that is not valid Unicode', zh: '请求体中含有无效的 Unicode 文本' }, [{ path: at, message: 'is not valid Unicode text: it holds a lone surrogate' }]);
}

/**
 * Refuses parsed JSON bodies nested deeper than maxBodyDepth, and strings holding a lone
 * surrogate (walked without recursion).
 */
export const limitBodyDepth: RequestHandler = (req, _res, next) => {
  const stack: [unknown, number, string][] = [[req.body, 0, '']];
  while (stack.length > 0) {
    const [value, depth, at] = stack.pop()!;
    const text = badText(value, at);
    if (text) throw text;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxBodyDepth) {
      throw new CrmError('BAD_REQUEST', { en: `The body nests deeper than ${maxBodyDepth} levels`, zh: `请求体嵌套超过 ${maxBodyDepth} 层` }, [{ path: at, message: `nests deeper than ${maxBodyDepth} levels` }]);
    }
    for (const [key, item] of Object.entries(value)) {
      const bad = badText(key, `${at}/${pointerSegment(key)}`) ?? badText(item, `${at}/${pointerSegment(key)}`);
      if (bad) throw bad;
      if (item !== null && typeof item === 'object') stack.push([item, depth + 1, `${at}/${pointerSegment(key)}`]);
    }
  }
  next();
};

/** Unknown query parameters are refused: a misspelt `filtr=` must not silently return everything. */
export function checkQueryParameters(req: Request, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  // express parses the query string anew on every read of req.query: a URL without one has none.
  if (!req.url.includes('?')) return out;
  const details = [];
  for (const [key, value] of Object.entries(req.query)) {
    if (!allowed.includes(key)) {
      details.push({ path: `/query/${key}`, message: `is not a known parameter here${allowed.length ? ` (known: ${allowed.join(', ')})` : ''}` });
    } else if (typeof value !== 'string') {
      details.push({ path: `/query/${key}`, message: 'must be given once, as a plain value' });
    } else {
      out[key] = value;
    }
  }
  if (details.length > 0) throw new CrmError('INVALID_QUERY', undefined, details);
  return out;
}

/**
 * `res.status(status).json(value)` for the hot routes, without express's per-call work where it has
 * nothing to do: with no conditional header (If-None-Match, If-Modified-Since) no answer can become a
 * 304, and with a body to send (not HEAD) the JSON text, its type and length are all there is.
 * Anything else goes through express as before.
 */
export function sendJson(req: Request, res: Response, status: number, value: unknown): void {
  const headers = req.headers;
  if (req.method === 'HEAD' || headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined || status === 204 || status === 304) {
    res.status(status).json(value);
    return;
  }
  const body = JSON.stringify(value);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The versions If-Match accepts (RFC 9110 §13.1.1): undefined when absent or `*`; else the record
 * versions named by the list's strong entity tags. A well-formed tag that names no version (`"x"`,
 * or any weak tag: If-Match compares strongly) matches nothing, so the write gets 412; a header
 * that is not a list of entity tags gets 400.
 */
export function expectedVersion(req: Request): ExpectedVersion | undefined {
  const tags = ifMatchTags(req);
  if (tags === undefined || tags === '*') return undefined;
  const versions: number[] = [];
  for (const tag of tags) {
    const version = /^"([1-9]\d{0,14})"$/.exec(tag);
    if (version) versions.push(Number(version[1]));
  }
  return versions.length === 1 ? versions[0]! : versions;
}

/**
 * The entity tags of `If-Match` as given (`"m-abc"`, `W/"3"`), `*`, or undefined without the
 * header — for resources whose tags are not record versions. A malformed header gets 400.
 */
export function ifMatchTags(req: Request): '*' | string[] | undefined {
  const header = req.headers['if-match'];
  if (header === undefined) return undefined;
  if (header.trim() === '*') return '*';
  const elements = header.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (elements.length === 0 || !elements.every((e) => /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/.test(e))) {
    throw new CrmError('BAD_REQUEST', { en: 'If-Match must be * or a list of entity tags', zh: 'If-Match 必须是 * 或实体标签列表' }, [{ path: '/headers/if-match', message: 'is not a list of entity tags' }]);
  }
  return elements;
}

/** An ISO instant in UTC as query parameters and bodies take it (2026-03-01T09:00:00Z, milliseconds optional). */
export const isoInstantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function parsePositiveInteger(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new CrmError('INVALID_QUERY', undefined, [{ path: `/query/${name}`, message: `must be a whole number from 1 to ${max}` }]);
  }
  return Number(value);
}

export function parseJsonParameter(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new CrmError('INVALID_FILTER', undefined, [{ path: `/query/${name}`, message: 'is not valid JSON' }]);
  }
}

export function parseBooleanFlag(value: string | undefined, name: string): boolean {
  if (value === undefined || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new CrmError('INVALID_QUERY', undefined, [{ path: `/query/${name}`, message: 'must be 1, 0, true or false' }]);
}

export function parseFieldList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean);
  // `fields=` with nothing in it is a mistake (an empty form value), not a request for ids only.
  if (fields.length === 0) {
    const text = { en: 'must name at least one field (comma-separated), or be left out for all', zh: '必须至少列出一个字段（以逗号分隔），或省略以返回全部字段' };
    throw new CrmError('INVALID_QUERY', undefined, [{ path: '/query/fields', message: text.en, text }]);
  }
  return fields;
}
