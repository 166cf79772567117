// access/: who may do what. The record service asks this one policy at every check point —
// entity actions, record scope, field read and edit — so that no path forgets a check.
// The role-based policy (role-policy.ts: roles from metadata, teams, field-level security)
// implements this interface; the open policy is only for the engine core's own tests.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { matchAll, type FilterNode } from '../filter/filter-tree.ts';
import { systemFieldNames } from '../fields/system-fields.ts';
import { log } from '../kernel/log.ts';

/** Who is calling. `system` is only ever created explicitly in code (jobs, migrations) and is logged. */
export interface Principal {
  kind: 'user' | 'token' | 'system' | 'anonymous';
  /** The user's id (for a token too: records a token creates are owned by its user), or `system:<reason>`. */
  id: string;
  /** Role names (metadata items of kind `role`) whose grants add up. */
  roles: readonly string[];
  /** Team ids the user belongs to. */
  teams: readonly string[];
  /** User ids whose records the "team" scope covers: members of the user's teams and the teams below them, the user included. */
  teamMembers?: readonly string[];
  /** Team ids the "team" scope covers on entities whose records carry teams: the user's teams and the teams below them. */
  teamScope?: readonly string[];
  admin: boolean;
  /** The session or token the request came with (never the secret). */
  via?: { kind: 'session' | 'token'; id: string };
  /** Set when an administrator previews the API as this principal ("view as", read-only): the admin's id. */
  viewedBy?: string;
}

export type EntityAction = 'create' | 'read' | 'update' | 'delete' | 'reassign';

export interface AccessPolicy {
  /** Throws FORBIDDEN (or UNAUTHENTICATED) when the caller may not do `action` on the entity at all; UNKNOWN_ENTITY when it may not even read it. */
  assertEntityAction(principal: Principal, entity: CompiledEntity, action: EntityAction): void;
  /** The records the caller may act on: AND-ed into every read, count, update and delete. */
  scopeFilter(principal: Principal, entity: CompiledEntity, action: EntityAction): FilterNode;
  /** Fields the caller may see (system fields included). Others never leave the server. */
  readableFields(principal: Principal, entity: CompiledEntity): ReadonlySet<string>;
  /** Fields the caller may write (a subset of the entity's writable fields). */
  editableFields(principal: Principal, entity: CompiledEntity): ReadonlySet<string>;
  /** Throws unless the caller may change metadata. */
  assertAdmin(principal: Principal): void;
}

/** Reasons already logged, so that a job running every minute logs its system mode once. */
const loggedReasons = new Set<string>();

/**
 * The one way to act beyond every role: scheduled jobs, migrations, retention. Explicit in code,
 * named by its reason (which lands in the audit trail as `by`), and logged.
 */
export function systemPrincipal(reason: string): Principal {
  if (!loggedReasons.has(reason)) {
    loggedReasons.add(reason);
    log.info(`[access] system mode requested: ${reason}`);
  }
  return Object.freeze({ kind: 'system', id: `system:${reason}`, roles: [], teams: [], admin: true });
}

export const anonymousPrincipal: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', roles: [], teams: [], admin: false });

/** The system fields every record has (id, version, owner, …), readable by whoever reads the record. */
export const systemFieldList: readonly string[] = [...systemFieldNames];

/**
 * Everyone may do everything. It answers when a server is opened without the security module
 * (`modules: []` — core tests and benchmarks do this on purpose), and for engine-internal work
 * under a system principal. `crm serve` always starts the security module, whose role-based policy
 * replaces this one.
 */
const allFields = new WeakMap<CompiledEntity, ReadonlySet<string>>();
/** Every field of an entity and the system fields, built once per compiled entity. */
function everyField(entity: CompiledEntity): ReadonlySet<string> {
  let fields = allFields.get(entity);
  if (!fields) allFields.set(entity, (fields = new Set([...entity.fields.keys(), ...systemFieldList])));
  return fields;
}

export const openPolicy: AccessPolicy = {
  assertEntityAction: () => undefined,
  scopeFilter: () => matchAll,
  readableFields: (_principal, entity) => everyField(entity),
  editableFields: (_principal, entity) => entity.writableFields,
  assertAdmin: () => undefined,
};
