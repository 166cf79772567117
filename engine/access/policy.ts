// access/: who may do what. The record service asks this one policy at every check point —
// entity actions, record scope, field read and edit — so that no path forgets a check.
// The role-based policy (users, roles, teams, field-level security) implements this interface.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { matchAll, type FilterNode } from '../filter/filter-tree.ts';

/** Who is calling. `system` is only ever created explicitly in code (jobs, migrations) and is logged. */
export interface Principal {
  kind: 'user' | 'token' | 'system' | 'anonymous';
  /** User id, token id, or `system:<reason>`. */
  id: string;
  roles: readonly string[];
  teams: readonly string[];
  admin: boolean;
}

export type EntityAction = 'create' | 'read' | 'update' | 'delete';

export interface AccessPolicy {
  /** Throws FORBIDDEN (or UNAUTHENTICATED) when the caller may not do `action` on the entity at all. */
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

export function systemPrincipal(reason: string): Principal {
  return { kind: 'system', id: `system:${reason}`, roles: [], teams: [], admin: true };
}

export const anonymousPrincipal: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', roles: [], teams: [], admin: false });

/**
 * Everyone may do everything. Used only where no sign-in is configured — the engine core's tests and
 * the embedded quick start before Security lands — and by the system principal.
 */
export const openPolicy: AccessPolicy = {
  assertEntityAction: () => undefined,
  scopeFilter: () => matchAll,
  readableFields: (_principal, entity) => new Set([...entity.fields.keys(), 'id', 'version', 'revision', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'owner']),
  editableFields: (_principal, entity) => entity.writableFields,
  assertAdmin: () => undefined,
};
