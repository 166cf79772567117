// What one role may see of a record, for paths where no user is calling: webhook payloads (per
// the hook's configured role), exports, notifications. The same policy as every request.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import type { AccessPolicy, Principal } from './policy.ts';

/** A principal that acts with exactly one role and no user (so no own or team records). */
export function principalForRole(role: string, id = `role:${role}`): Principal {
  return Object.freeze({ kind: 'token', id, roles: [role], teams: [], admin: false });
}

/**
 * The record as the principal may see it — only readable fields — or undefined when it may not
 * read the entity at all. `values` is the stored document with `id`, `version`, `revision` beside it.
 */
export function visibleRecord(policy: AccessPolicy, principal: Principal, entity: CompiledEntity, values: Record<string, unknown>): Record<string, unknown> | undefined {
  try {
    policy.assertEntityAction(principal, entity, 'read');
  } catch {
    return undefined;
  }
  const readable = policy.readableFields(principal, entity);
  return Object.fromEntries(Object.entries(values).filter(([key]) => readable.has(key)));
}
