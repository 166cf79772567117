// The one place errors become HTTP responses: `{ error: { code, message, details, requestId } }`, messages
// in the caller's language, no stack traces, and 500 only for the engine's own faults (logged).

import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { CrmError, defaultMessage, localizedDetail, statusOf, type ErrorCode, type ErrorExtra } from '../kernel/errors.ts';
import { localeFromAcceptLanguage, localize, type Locale } from '../kernel/i18n.ts';
import { publicDetails } from '../kernel/detail-text.ts';
import { maskText } from '../privacy/mask-log.ts';
import { log } from '../kernel/log.ts';
import { requestIdOf } from '../http/request-id.ts';
import { notUtf8Body } from '../http/http-helpers.ts';

/** A byte count as people read a limit: `1 MB`, `512 KB`, or bytes. */
function bytesText(bytes: number): string {
  if (bytes >= 1_048_576 && bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * Maps errors thrown by body parsing (express.json / raw-body, and the zlib stream it reads a
 * compressed body through) to catalogue codes, each detail naming the header or the body at fault
 * in the caller's language — never a library's own English message.
 */
function fromParserError(error: { type?: string; status?: number; message?: string; limit?: unknown; charset?: unknown; encoding?: unknown }, req: Request, locale: Locale): CrmError | undefined {
  switch (error.type) {
    case 'entity.too.large': {
      const limit = typeof error.limit === 'number' ? bytesText(error.limit) : undefined;
      return new CrmError('PAYLOAD_TOO_LARGE', undefined, limit === undefined ? [] : [localizedDetail({ path: '', text: { en: `is over the limit of ${limit}`, zh: `超过了 ${limit} 的上限` } }, locale)]);
    }
    case 'entity.parse.failed':
      return new CrmError('BAD_REQUEST', { en: 'The body is not valid JSON', zh: '请求体不是合法的 JSON' }, [{ path: '', message: `is not valid JSON: ${error.message ?? 'a syntax error'}` }]);
    case 'entity.verify.failed':
      return notUtf8Body();
    case 'charset.unsupported': {
      const charset = String(error.charset ?? '').toUpperCase();
      return new CrmError('UNSUPPORTED_MEDIA_TYPE', undefined, [localizedDetail({ path: '/headers/content-type', text: { en: `names the charset ${charset}: send UTF-8`, zh: `指定了字符集 ${charset}：请使用 UTF-8` } }, locale)]);
    }
    case 'encoding.unsupported': {
      const encoding = String(error.encoding ?? req.headers['content-encoding'] ?? '');
      return new CrmError('UNSUPPORTED_MEDIA_TYPE', undefined, [localizedDetail({ path: '/headers/content-encoding', text: { en: `is ${encoding}: send the body as it is, or gzip, deflate or br`, zh: `为 ${encoding}：请直接发送请求体，或使用 gzip、deflate、br` } }, locale)]);
    }
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new CrmError('BAD_REQUEST');
    default: {
      // Express could not percent-decode a path segment (`/api/data/deal/%E0%A4%A`).
      if (error.status === 400 && /^Failed to decode param /.test(error.message ?? '')) {
        return new CrmError('BAD_REQUEST', { en: 'The address is not valid', zh: '地址无效' }, [{ path: '/path', message: 'a segment is not percent-encoded UTF-8' }]);
      }
      // A body whose Content-Encoding it does not hold (zlib's "incorrect header check", "unexpected end of file").
      const encoding = req.headers['content-encoding'];
      if (error.status === 400 && encoding !== undefined && encoding.toLowerCase() !== 'identity') {
        return new CrmError('BAD_REQUEST', { en: 'The body could not be decompressed', zh: '请求体无法解压' }, [
          localizedDetail({ path: '/headers/content-encoding', text: { en: `is ${encoding}, but the body is not whole ${encoding} data`, zh: `为 ${encoding}，但请求体不是完整的 ${encoding} 数据` } }, locale),
        ]);
      }
      return error.status && error.status >= 400 && error.status < 500 ? new CrmError('BAD_REQUEST', error.message) : undefined;
    }
  }
}

export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const locale = localeFromAcceptLanguage(req.headers['accept-language']);
  const crmError = error instanceof CrmError ? error : fromParserError(error as { type?: string; status?: number }, req, locale);
  if (!crmError) {
    // Masked: an unexpected error's message may quote a record's values (personal data).
    log.error(`${req.method} ${req.path} failed:`, maskText(error instanceof Error ? (error.stack ?? error.message) : String(error)));
    sendError(res, 'INTERNAL', defaultMessage('INTERNAL', locale), []);
    return;
  }
  sendError(res, crmError.code, crmError.localizedMessage(locale), publicDetails(crmError.details, locale), crmError.extra);
};

function sendError(res: Parameters<ErrorRequestHandler>[2], code: ErrorCode, message: string, details: CrmError['details'], extra?: ErrorExtra): void {
  if (res.headersSent) return;
  const error = new CrmError(code);
  const requestId = requestIdOf(res);
  res.status(error.status).json({ error: { code, message, details, ...extra, ...(requestId !== undefined ? { requestId } : {}) } });
}

/**
 * What answers a request no route served: 405 with `Allow` when the address is served for other
 * methods (`allowedMethods`: http/allowed-methods.ts), 404 otherwise.
 */
export function notFoundHandler(allowedMethods: (path: string) => string[]): RequestHandler {
  return (req, res) => {
    const allowed = allowedMethods(req.path);
    if (allowed.length > 0 && !allowed.includes(req.method)) {
      res.setHeader('Allow', allowed.join(', '));
      const locale = localeFromAcceptLanguage(req.headers['accept-language']);
      throw new CrmError('METHOD_NOT_ALLOWED', undefined, [localizedDetail({ path: '', text: { en: `${req.method} is not served here: this address takes ${allowed.join(', ')}`, zh: `此地址不支持 ${req.method}：只接受 ${allowed.join('、')}` } }, locale)]);
    }
    throw new CrmError('NOT_FOUND', { en: 'No such endpoint', zh: '没有该接口' });
  };
}

/**
 * A request Node's HTTP parser refused before express saw it — the request line and headers over
 * the server's limit (a very long `filter=` in the address), or a request that is not HTTP. Node's
 * own answer is a bare status with no body; this one is the API's error body, on the socket.
 */
export function answerClientError(error: Error & { code?: string; rawPacket?: Buffer }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const code: ErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST';
  // What of the headers arrived may name the caller's language.
  const acceptLanguage = /\r\naccept-language:[ \t]*([^\r\n]*)/i.exec(error.rawPacket?.toString('latin1') ?? '')?.[1];
  const locale = localeFromAcceptLanguage(acceptLanguage);
  const reason =
    code === 'HEADERS_TOO_LARGE'
      ? { en: 'the request line and headers together take more than the server reads (16 KB)', zh: '请求行与请求头合计超过服务器可读取的大小（16 KB）' }
      : { en: 'is not a well-formed HTTP request', zh: '不是格式正确的 HTTP 请求' };
  const body = JSON.stringify({ error: { code, message: defaultMessage(code, locale), details: [{ path: '', message: localize(reason, locale) }] } });
  const status = statusOf(code);
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`);
}
