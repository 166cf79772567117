// The SDK's runtime: one client over the CRM's REST API, typed by the generated entity map.
// Token or session auth, typed filters (a filter naming a field the entity does not have does not
// compile), cursor pagination, ETag / If-Match, Idempotency-Key, and errors as CrmApiError with the
// server's error code. The raw typed client (openapi-fetch over the generated paths) is `raw`.

import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/schema.ts';
import type { Entities, EntityInputs, ErrorCode } from './generated/entities.ts';

type Scalar<V> = V extends readonly (infer U)[] ? U : V;

/** Comparison operators on one field's values. */
export interface FieldOperators<V> {
  $eq?: V | null;
  $ne?: V | null;
  $gt?: V;
  $gte?: V;
  $lt?: V;
  $lte?: V;
  $in?: V[];
  $nin?: V[];
  $exists?: boolean;
  $regex?: V extends string ? string : never;
  $options?: V extends string ? 'i' : never;
  $not?: FieldOperators<V>;
}

/** A filter over an entity's fields: only fields the entity has, with values of their type. */
export type Filter<T> = { [K in keyof T]?: Scalar<NonNullable<T[K]>> | null | FieldOperators<Scalar<NonNullable<T[K]>>> } & {
  $and?: Filter<T>[];
  $or?: Filter<T>[];
};

export type EntityName = keyof Entities & string;
type FieldName<E extends EntityName> = keyof Entities[E] & string;
/** A sort key: a field, or `-field` for descending. */
export type SortKey<E extends EntityName> = FieldName<E> | `-${FieldName<E>}`;

export interface ListQuery<E extends EntityName> {
  filter?: Filter<Entities[E]>;
  sort?: SortKey<E> | SortKey<E>[];
  limit?: number;
  cursor?: string;
  fields?: FieldName<E>[];
  total?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
  total?: number;
}

/** A record with the ETag to send back as If-Match. */
export interface Versioned<T> {
  record: T;
  etag: string;
}

export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

export class CrmApiError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string, readonly details: ErrorDetail[]) {
    super(message);
    this.name = 'CrmApiError';
  }
}

export interface ClientOptions {
  baseUrl: string;
  /** An API token (`crmt_…`); or call signIn() for a session. */
  token?: string;
  fetch?: typeof fetch;
  /** Accept-Language of the error messages. */
  locale?: 'en' | 'zh';
}

export interface WriteOptions {
  /** A retry with the same key gets the first answer instead of acting twice. */
  idempotencyKey?: string;
}

export interface CrmClient {
  /** The generated, fully typed client over every documented path (openapi-fetch). */
  raw: Client<paths>;
  signIn(email: string, password: string): Promise<void>;
  records<E extends EntityName>(entity: E): RecordsApi<E>;
}

export interface RecordsApi<E extends EntityName> {
  list(query?: ListQuery<E>): Promise<Page<Entities[E]>>;
  /** Every matching record, page after page (cursor pagination). */
  all(query?: Omit<ListQuery<E>, 'cursor'>): AsyncGenerator<Entities[E]>;
  get(id: string): Promise<Versioned<Entities[E]>>;
  create(values: EntityInputs[E], options?: WriteOptions): Promise<Versioned<Entities[E]>>;
  /** With `ifMatch` (an ETag), a record changed meanwhile fails with code STALE_VERSION. */
  update(id: string, patch: Partial<EntityInputs[E]>, options?: { ifMatch?: string }): Promise<Versioned<Entities[E]>>;
  delete(id: string, options?: { ifMatch?: string }): Promise<void>;
}

export function createCrmClient(options: ClientOptions): CrmClient {
  const doFetch = options.fetch ?? fetch;
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const baseHeaders = (): Record<string, string> => ({ ...auth, ...(options.locale ? { 'accept-language': options.locale } : {}) });
  const raw = createClient<paths>({ baseUrl: options.baseUrl, fetch: (request: Request) => doFetch(request) });
  raw.use({ onRequest: ({ request }) => { for (const [k, v] of Object.entries(baseHeaders())) request.headers.set(k, v); return request; } });

  async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ body: T; etag: string | null }> {
    const response = await doFetch(new URL(path, options.baseUrl), {
      method, headers: { ...baseHeaders(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (parsed as { error?: { code: ErrorCode; message: string; details: ErrorDetail[] } } | undefined)?.error;
      throw new CrmApiError(response.status, error?.code ?? 'INTERNAL', error?.message ?? `HTTP ${response.status}`, error?.details ?? []);
    }
    return { body: parsed as T, etag: response.headers.get('etag') };
  }

  const queryString = <E extends EntityName>(query: ListQuery<E>): string => {
    const search = new URLSearchParams();
    if (query.filter !== undefined) search.set('filter', JSON.stringify(query.filter));
    if (query.sort !== undefined) search.set('sort', Array.isArray(query.sort) ? query.sort.join(',') : query.sort);
    if (query.limit !== undefined) search.set('limit', String(query.limit));
    if (query.cursor !== undefined) search.set('cursor', query.cursor);
    if (query.fields !== undefined) search.set('fields', query.fields.join(','));
    if (query.total) search.set('total', '1');
    const text = search.toString();
    return text ? `?${text}` : '';
  };

  return {
    raw,
    async signIn(email, password) {
      const response = await doFetch(new URL('/api/auth/login', options.baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
      const parsed = (await response.json()) as { csrfToken?: string; error?: { code: ErrorCode; message: string; details: ErrorDetail[] } };
      if (!response.ok || !parsed.csrfToken) throw new CrmApiError(response.status, parsed.error?.code ?? 'UNAUTHENTICATED', parsed.error?.message ?? 'sign-in failed', parsed.error?.details ?? []);
      delete auth['authorization'];
      auth['cookie'] = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
      auth['x-csrf-token'] = parsed.csrfToken;
    },
    records<E extends EntityName>(entity: E): RecordsApi<E> {
      const base = `/api/data/${entity}`;
      const versioned = (answer: { body: Entities[E]; etag: string | null }): Versioned<Entities[E]> => ({ record: answer.body, etag: answer.etag ?? '' });
      return {
        async list(query = {}) {
          return (await call<Page<Entities[E]>>('GET', base + queryString(query))).body;
        },
        async *all(query = {}) {
          let cursor: string | undefined;
          do {
            const page = await this.list({ ...query, ...(cursor ? { cursor } : {}) });
            yield* page.items;
            cursor = page.nextCursor;
          } while (cursor);
        },
        async get(id) {
          return versioned(await call<Entities[E]>('GET', `${base}/${encodeURIComponent(id)}`));
        },
        async create(values, writeOptions = {}) {
          return versioned(await call<Entities[E]>('POST', base, values, writeOptions.idempotencyKey ? { 'idempotency-key': writeOptions.idempotencyKey } : {}));
        },
        async update(id, patch, updateOptions = {}) {
          return versioned(await call<Entities[E]>('PATCH', `${base}/${encodeURIComponent(id)}`, patch, updateOptions.ifMatch ? { 'if-match': updateOptions.ifMatch } : {}));
        },
        async delete(id, deleteOptions = {}) {
          await call('DELETE', `${base}/${encodeURIComponent(id)}`, undefined, deleteOptions.ifMatch ? { 'if-match': deleteOptions.ifMatch } : {});
        },
      };
    },
  };
}
