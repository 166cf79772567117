// How a capability (security, workflows, templates, …) plugs into the server without the server
// knowing it: it declares its system collections and, once the core services exist, returns its
// routes, an optional access policy / authenticator, and how to stop.

import type { Router } from 'express';
import type { AccessPolicy } from '../access/policy.ts';
import type { Authenticator } from '../http/http-context.ts';
import type { ApiContribution } from '../http/openapi-fragment.ts';
import type { Clock } from '../kernel/clock.ts';
import type { RecordService } from '../records/record-service.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import type { CollectionSpec, Store } from '../store/store-port.ts';
import type { Settings } from '../settings/settings.ts';

export interface EngineServices {
  store: Store;
  runtime: ModelRuntime;
  records: RecordService;
  clock: Clock;
  /** The settings, read and validated once at start (engine/settings/settings.ts). */
  settings: Settings;
  /** The environment the server was started with (tests pass their own): only for secrets named by metadata (`secretRef`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The embedded store's data folder (uploads and backups live beside it); absent on MongoDB-only setups in tests. */
  dataDir?: string;
  /** Base URL the server answers on, once listening (for links in e-mails, setup URLs). */
  baseUrl(): string;
  /** Set by the security module; the open policy until then. */
  policy: AccessPolicy;
  authenticate: Authenticator;
}

export interface StartedModule {
  /** Routers mounted under the given paths, before the generic metadata and data routers. */
  routes?: { path: string; router: Router }[];
  /**
   * The OpenAPI operations of those routes (http/openapi-fragment.ts says how). A served route
   * missing from /api/openapi.json fails test/api/route-table.test.ts.
   */
  openapi?: ApiContribution;
  /** Replaces the access policy (the security module does). */
  policy?: AccessPolicy;
  /** Replaces the authenticator (the security module does). */
  authenticate?: Authenticator;
  /** Called after the server listens (schedulers start here). */
  afterListen?(): Promise<void> | void;
  /** Checks `/api/ready` runs (true, or why not). */
  readiness?: Record<string, () => Promise<true | string> | true | string>;
  /** `waitMs`: how long work in hand may still take (a graceful shutdown); undefined: as long as it takes. */
  stop?(waitMs?: number): Promise<void> | void;
}

export interface EngineModule {
  name: string;
  collections?: CollectionSpec[];
  /** Modules start in list order; each sees the policy and authenticator set by those before it. */
  start(services: EngineServices): Promise<StartedModule> | StartedModule;
}
