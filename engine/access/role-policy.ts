// The role-based access policy: grants come from role metadata (per entity create / read /
// update / delete / reassign with scope own / team / all, per field hidden / read / edit), the
// principal's roles and teams from the security module. Deny by default; admins and the system
// principal may do everything.

import type { CompiledEntity } from '../compile/compiled-model.ts';
import { internalField, matchAll, type FilterNode } from '../filter/filter-tree.ts';
import { CrmError } from '../kernel/errors.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import { type AccessPolicy, type EntityAction, type Principal, systemFieldList } from './policy.ts';
import { accessOf, roleGrantsOf, scopeFor, scopeWithin, type EntityGrant, type Scope } from './role-grants.ts';

const ownerField = internalField('owner');
const teamsField = internalField('teams', 'string', true);
/** Matches no record: the scope of an action the caller has no grant for. */
export const matchNone: FilterNode = Object.freeze({ kind: 'in', field: internalField('id'), values: [], negate: false });

/**
 * The filter a scope stands for: on `owner`, and for the team scope of an entity whose records
 * carry teams (`recordTeams`), also on `teams` — owned by a member of the caller's teams or of a
 * team below them, or belonging to one of those teams.
 */
export function scopeToFilter(scope: Scope, principal: Principal, entity?: CompiledEntity): FilterNode {
  switch (scope) {
    case 'all':
      return matchAll;
    case 'team': {
      const owned: FilterNode = { kind: 'in', field: ownerField, values: [...new Set([principal.id, ...(principal.teamMembers ?? [])])], negate: false };
      const teams = principal.teamScope ?? [];
      if (entity?.definition.recordTeams !== true || teams.length === 0) return owned;
      return { kind: 'or', children: [owned, { kind: 'in', field: teamsField, values: [...teams], negate: false }] };
    }
    case 'own':
      return { kind: 'compare', field: ownerField, op: '$eq', value: principal.id };
    case 'none':
      return matchNone;
  }
}

function unknownEntity(entity: CompiledEntity): CrmError {
  // The same answer as for an entity that does not exist: nothing may be inferred.
  return new CrmError('UNKNOWN_ENTITY', { en: `There is no entity "${entity.name}"`, zh: `不存在实体「${entity.name}」` });
}

/**
 * A formula shows what it is made of (`salary > 100000`): it is readable only when every field it
 * reads is. Repeated until nothing changes, for formulas over formulas.
 */
function hideFormulasOverHidden(entity: CompiledEntity, readable: Set<string>): void {
  for (let changed = true; changed; ) {
    changed = false;
    for (const field of entity.formulas) {
      if (!readable.has(field.name)) continue;
      const refs = field.formula?.rootReferences ?? new Set<string>();
      if ([...refs].some((ref) => entity.fields.has(ref) && !readable.has(ref))) {
        readable.delete(field.name);
        changed = true;
      }
    }
  }
}

/**
 * A rollup is made of children: it is readable only when the caller reads the link and the
 * aggregated field on the children entity, with a read scope there at least as wide as on the parent
 * (`all` over `all`, `team` or wider over `team`). With a narrower one — every account, but only
 * one's own deals — the value would tell about children the caller cannot see (a count that moves
 * when someone else adds one), so it is hidden like a hidden field rather than computed per caller.
 */
function hideRollupsOverUnreadable(entity: CompiledEntity, parentScope: Scope, readable: Set<string>, children: (name: string) => ChildAccess): void {
  for (const field of entity.fields.values()) {
    const definition = field.definition;
    if (definition.type !== 'rollup' || !readable.has(field.name)) continue;
    const child = children(definition.from);
    const needed = [definition.via, ...(definition.field ? [definition.field] : [])];
    if (child.scope === 'none' || !scopeWithin(parentScope, child.scope) || needed.some((name) => !child.readable.has(name))) readable.delete(field.name);
  }
}

/** What a principal reads of a children entity: the scope and the readable fields. */
interface ChildAccess {
  scope: Scope;
  readable: ReadonlySet<string>;
}

const noChildAccess: ChildAccess = Object.freeze({ scope: 'none', readable: new Set<string>() });

/**
 * `roles` gives the role metadata to use: the live model's set (a role change applies on the next
 * request); `entityNamed` the live model's compiled entities, for the children rollups aggregate.
 */
export function createRolePolicy(roles: () => MetadataSet, entityNamed: (name: string) => CompiledEntity | undefined = () => undefined): AccessPolicy {
  type FieldSets = { readable: ReadonlySet<string>; editable: ReadonlySet<string> };
  // Per compiled grants (one metadata set), per compiled entity (one revision), per role list.
  const memo = new WeakMap<object, WeakMap<CompiledEntity, Map<string, FieldSets>>>();
  const grantFor = (principal: Principal, entity: CompiledEntity): EntityGrant => roleGrantsOf(roles()).grant(principal, entity.name);

  // Rollups over rollups follow the chain of children; an entity met again on the way reads nothing.
  const computing = new Set<string>();
  const childAccess = (principal: Principal) => (name: string): ChildAccess => {
    const child = entityNamed(name);
    if (!child || computing.has(name)) return noChildAccess;
    return { scope: grantFor(principal, child).read, readable: fieldsFor(principal, child).readable };
  };

  const computeFieldSets = (principal: Principal, entity: CompiledEntity, grant: EntityGrant): FieldSets => {
    if (principal.admin) return { readable: new Set([...entity.fields.keys(), ...systemFieldList]), editable: entity.writableFields };
    const readable = new Set<string>();
    const editable = new Set<string>();
    if (grant.read !== 'none') {
      for (const name of systemFieldList) readable.add(name);
      for (const name of entity.fields.keys()) if (accessOf(grant.readAccess, name) !== 'hidden') readable.add(name);
    } else {
      readable.add('id');
    }
    for (const name of entity.writableFields) if (accessOf(grant.writeAccess, name) === 'edit') editable.add(name);
    computing.add(entity.name);
    try {
      hideRollupsOverUnreadable(entity, grant.read, readable, childAccess(principal));
    } finally {
      computing.delete(entity.name);
    }
    // A formula reading through a lookup (`account.secretNote`) shows that field too.
    for (const [name, reads] of entity.formulaThroughReads) {
      const hidden = reads.some((read) => {
        const target = roleGrantsOf(roles()).grant(principal, read.entity);
        return target.read === 'none' || accessOf(target.readAccess, read.field) === 'hidden';
      });
      if (hidden) readable.delete(name);
    }
    hideFormulasOverHidden(entity, readable);
    return { readable, editable };
  };

  const fieldsFor = (principal: Principal, entity: CompiledEntity): FieldSets => {
    const grants = roleGrantsOf(roles());
    let byEntity = memo.get(grants);
    if (!byEntity) memo.set(grants, (byEntity = new WeakMap()));
    let byRoles = byEntity.get(entity);
    if (!byRoles) byEntity.set(entity, (byRoles = new Map()));
    const key = principal.admin ? '*' : principal.roles.join('\u0000');
    let sets = byRoles.get(key);
    if (!sets) {
      sets = computeFieldSets(principal, entity, grants.grant(principal, entity.name));
      if (byRoles.size > 200) byRoles.clear();
      byRoles.set(key, sets);
    }
    return sets;
  };

  return {
    assertEntityAction(principal, entity, action: EntityAction) {
      if (principal.kind === 'anonymous') throw new CrmError('UNAUTHENTICATED');
      if (principal.admin) return;
      const grant = grantFor(principal, entity);
      if (grant.read === 'none' && !(action === 'create' && grant.create)) throw unknownEntity(entity);
      if (scopeFor(grant, action) === 'none') {
        throw new CrmError('FORBIDDEN', { en: `You may not ${action} ${entity.name} records`, zh: `无权对 ${entity.name} 记录执行 ${action}` });
      }
    },
    scopeFilter(principal, entity, action) {
      if (principal.kind === 'anonymous') return matchNone;
      if (principal.admin) return matchAll;
      return scopeToFilter(scopeFor(grantFor(principal, entity), action), principal, entity);
    },
    readableFields(principal, entity) {
      if (principal.kind === 'anonymous') return new Set();
      return fieldsFor(principal, entity).readable;
    },
    editableFields(principal, entity) {
      if (principal.kind === 'anonymous') return new Set();
      return fieldsFor(principal, entity).editable;
    },
    assertAdmin(principal) {
      if (principal.kind === 'anonymous') throw new CrmError('UNAUTHENTICATED');
      if (!principal.admin) throw new CrmError('FORBIDDEN', { en: 'Only administrators may do this', zh: '仅管理员可执行此操作' });
    },
  };
}
