// kernel/errors: the one catalogue of error codes, their HTTP statuses and bilingual messages.
// Every layer throws CrmError with a code from here; only the API maps it to a response.

import { type Locale, type LocalizedText, localize } from './i18n.ts';

/** One precise problem: a JSON pointer into the input and what is wrong there. */
export interface IssueDetail {
  /** JSON pointer (RFC 6901) into the request body, query or metadata document, e.g. `/fields/amount/min`. */
  path: string;
  /** Human-readable reason. */
  message: string;
  /** Optional machine-readable sub-code, e.g. the ajv keyword or `EXPR_SYNTAX`. */
  code?: string;
  /**
   * The message in every language, where the layer that found the problem had them: whoever reads
   * the issue later (an import's report, read by someone else) gets it in their own language, not
   * in the writer's. Never sent as such — the API answers `message` in the caller's language.
   */
  text?: LocalizedText;
}

/** A detail known in every language: `message` in `locale` for whoever reads it now, `text` for whoever reads it later. */
export function localizedDetail(detail: { path: string; code?: string; text: LocalizedText }, locale: Locale): IssueDetail {
  return { path: detail.path, ...(detail.code !== undefined ? { code: detail.code } : {}), message: localize(detail.text, locale), text: detail.text };
}

const catalogue = {
  BAD_REQUEST: { status: 400, message: { en: 'The request is malformed', zh: '请求格式错误' } },
  INVALID_RECORD: { status: 400, message: { en: 'The record is not valid', zh: '记录无效' } },
  INVALID_METADATA: { status: 400, message: { en: 'The metadata is not valid', zh: '元数据无效' } },
  INVALID_FILTER: { status: 400, message: { en: 'The filter is not valid', zh: '筛选条件无效' } },
  INVALID_QUERY: { status: 400, message: { en: 'The query parameters are not valid', zh: '查询参数无效' } },
  READ_ONLY_FIELD: { status: 400, message: { en: 'A field cannot be written', zh: '字段不可写' } },
  EXPR_ERROR: { status: 400, message: { en: 'An expression failed', zh: '表达式执行失败' } },
  EXPR_TIMEOUT: { status: 400, message: { en: 'An expression ran too long', zh: '表达式执行超时' } },
  UNAUTHENTICATED: { status: 401, message: { en: 'Sign-in required', zh: '需要登录' } },
  FORBIDDEN: { status: 403, message: { en: 'Not allowed', zh: '无权操作' } },
  NOT_FOUND: { status: 404, message: { en: 'Not found', zh: '未找到' } },
  UNKNOWN_ENTITY: { status: 404, message: { en: 'Unknown entity', zh: '未知实体' } },
  METHOD_NOT_ALLOWED: { status: 405, message: { en: 'Method not allowed', zh: '不支持该方法' } },
  CONFLICT: { status: 409, message: { en: 'Conflict with the current state', zh: '与当前状态冲突' } },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, message: { en: 'A request with this Idempotency-Key is still being processed', zh: '使用该幂等键的请求仍在处理中' } },
  UNIQUE_VIOLATION: { status: 409, message: { en: 'A value must be unique', zh: '值必须唯一' } },
  REFERENCE_IN_USE: { status: 409, message: { en: 'The record is still referenced', zh: '记录仍被引用' } },
  IDEMPOTENCY_KEY_REUSED: { status: 422, message: { en: 'This Idempotency-Key was used for a different request', zh: '该幂等键已用于另一个请求' } },
  PRECONDITION_REQUIRED: { status: 428, message: { en: 'If-Match is required', zh: '需要 If-Match 头' } },
  STALE_VERSION: { status: 412, message: { en: 'The record was changed by someone else', zh: '记录已被他人修改' } },
  PAYLOAD_TOO_LARGE: { status: 413, message: { en: 'The request body is too large', zh: '请求体过大' } },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: { en: 'Send application/json', zh: '请使用 application/json' } },
  RATE_LIMITED: { status: 429, message: { en: 'Too many requests', zh: '请求过于频繁' } },
  HEADERS_TOO_LARGE: { status: 431, message: { en: 'The address and headers are too large (a long filter is sent in fewer characters, or as several requests)', zh: '地址和请求头过大（请缩短筛选条件，或分多次请求）' } },
  INTERNAL: { status: 500, message: { en: 'Internal error', zh: '内部错误' } },
  UNAVAILABLE: { status: 503, message: { en: 'Service unavailable', zh: '服务不可用' } },
  QUERY_TIMEOUT: {
    status: 503,
    message: { en: 'The query ran over the time allowed for one request; narrow the filter or ask for an index', zh: '查询超出单个请求允许的时间；请缩小筛选范围或请求建立索引' },
  },
} as const satisfies Record<string, { status: number; message: LocalizedText }>;

export type ErrorCode = keyof typeof catalogue;

/** Every error code (the SDK generator writes them as a union). */
export const errorCodes = Object.keys(catalogue) as ErrorCode[];

export function statusOf(code: ErrorCode): number {
  return catalogue[code].status;
}

export function defaultMessage(code: ErrorCode, locale: Locale): string {
  return localize(catalogue[code].message, locale);
}

/**
 * At most this many details travel in one error (like filters' issue cap): a body with 50,000
 * unknown keys gets the first ones and a count, not megabytes of details.
 */
export const maxIssueDetails = 100;

function tooManyIssues(more: number): IssueDetail {
  return { path: '', code: 'TOO_MANY_ISSUES', message: `${more} more issues not shown` };
}

/** A record that no longer exists because a merge of duplicates took it into this one. */
export interface ErrorExtra {
  mergedInto?: { entity: string; id: string; title?: string };
}

/** The engine's one error type. `message` may be bilingual; it is localized at the API edge. */
export class CrmError extends Error {
  readonly code: ErrorCode;
  readonly details: IssueDetail[];
  readonly text: LocalizedText | undefined;
  /** Machine-readable facts beside `details`, sent as members of the error body (a merged-away record's `mergedInto`). */
  readonly extra: ErrorExtra | undefined;

  constructor(code: ErrorCode, text?: LocalizedText, details: IssueDetail[] = [], extra?: ErrorExtra) {
    super(typeof text === 'string' ? text : (text?.en ?? catalogue[code].message.en));
    this.name = 'CrmError';
    this.code = code;
    this.text = text;
    this.extra = extra;
    this.details = details.length > maxIssueDetails ? [...details.slice(0, maxIssueDetails), tooManyIssues(details.length - maxIssueDetails)] : details;
  }

  get status(): number {
    return statusOf(this.code);
  }

  localizedMessage(locale: Locale): string {
    return this.text === undefined ? defaultMessage(this.code, locale) : localize(this.text, locale);
  }

  /** The message in every language (a plain-string message stays as written). */
  get localizedText(): LocalizedText {
    return this.text ?? catalogue[this.code].message;
  }
}

export function isCrmError(value: unknown): value is CrmError {
  return value instanceof CrmError;
}

/** Escape one segment of a JSON pointer (RFC 6901). */
export function pointerSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => '/' + pointerSegment(s)).join('');
}
