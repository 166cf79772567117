// http/: the plumbing every router shares — the core's generic routers and the capabilities'
// own (security, workflows, templates, privacy): query-parameter allow-lists, ETags and If-Match
// here; who is calling and the request context in http-context.ts. It sits below api/ and the
// capabilities, so both import downward.

import type { Request, RequestHandler } from 'express';
import { CrmError, pointerSegment } from '../kernel/errors.ts';

/** No metadata document or record nests this deep; deeper bodies would overflow recursive checks. */
export const maxBodyDepth = 64;

/** Refuses parsed JSON bodies nested deeper than maxBodyDepth (walked without recursion). */
export const limitBodyDepth: RequestHandler = (req, _res, next) => {
  const stack: [unknown, number, string][] = [[req.body, 0, '']];
  while (stack.length > 0) {
    const [value, depth, at] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= maxBodyDepth) {
      throw new CrmError('BAD_REQUEST', { en: `The body nests deeper than ${maxBodyDepth} levels`, zh: `请求体嵌套超过 ${maxBodyDepth} 层` }, [{ path: at, message: `nests deeper than ${maxBodyDepth} levels` }]);
    }
    for (const [key, item] of Object.entries(value)) if (item !== null && typeof item === 'object') stack.push([item, depth + 1, `${at}/${pointerSegment(key)}`]);
  }
  next();
};

/** Unknown query parameters are refused: a misspelt `filtr=` must not silently return everything. */
export function checkQueryParameters(req: Request, allowed: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
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

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The version named by If-Match (`"3"`, `W/"3"` or `3`); undefined when absent or `*`. */
export function expectedVersion(req: Request): number | undefined {
  const header = req.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match) throw new CrmError('BAD_REQUEST', { en: 'If-Match must be an ETag this API gave out', zh: 'If-Match 必须是本接口返回的 ETag' }, [{ path: '/headers/if-match', message: 'is not a record version' }]);
  return Number(match[1]);
}

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
  return value === undefined ? undefined : value.split(',').map((f) => f.trim()).filter(Boolean);
}
