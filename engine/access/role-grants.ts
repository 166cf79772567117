// Role metadata folded into what one principal may do on one entity: the widest scope and the
// most open field access of all the principal's roles win. Compiled once per metadata set.

import type { EntityPermissions, FieldAccess, RecordScope, RoleDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { EntityAction, Principal } from './policy.ts';

export type Scope = 'none' | 'own' | 'team' | 'all';

/** Field access per field name, with a default for fields not named (including fields added later). */
export interface FieldAccessMap {
  fields: ReadonlyMap<string, FieldAccess>;
  defaultAccess: FieldAccess;
}

/** One principal's effective grants on one entity. */
export interface EntityGrant {
  create: boolean;
  read: Scope;
  update: Scope;
  delete: Scope;
  reassign: Scope;
  /** What may be read: only roles that grant read contribute. */
  readAccess: FieldAccessMap;
  /** What may be written: only roles that grant create or update contribute. */
  writeAccess: FieldAccessMap;
}

const hiddenAll: FieldAccessMap = Object.freeze({ fields: new Map(), defaultAccess: 'hidden' as const });

const scopeRank: Record<Scope, number> = { none: 0, own: 1, team: 2, all: 3 };
const accessRank: Record<FieldAccess, number> = { hidden: 0, read: 1, edit: 2 };

export const noGrant: EntityGrant = Object.freeze({ create: false, read: 'none', update: 'none', delete: 'none', reassign: 'none', readAccess: hiddenAll, writeAccess: hiddenAll });

export function scopeOf(value: RecordScope | undefined): Scope {
  return value === undefined || value === false ? 'none' : value;
}

export function widerScope(a: Scope, b: Scope): Scope {
  return scopeRank[a] >= scopeRank[b] ? a : b;
}

export function scopeWithin(inner: Scope, outer: Scope): boolean {
  return scopeRank[inner] <= scopeRank[outer];
}

function opener(a: FieldAccess, b: FieldAccess): FieldAccess {
  return accessRank[a] >= accessRank[b] ? a : b;
}

/** The roles of a metadata set, by name. */
export function rolesOf(set: MetadataSet): ReadonlyMap<string, RoleDefinition> {
  return new Map(set.list('role').map((doc) => [doc.name, doc as unknown as RoleDefinition]));
}

export function accessOf(map: FieldAccessMap, field: string): FieldAccess {
  return map.fields.get(field) ?? map.defaultAccess;
}

function grantOf(permissions: EntityPermissions): EntityGrant {
  const access: FieldAccessMap = { fields: new Map(Object.entries(permissions.fields ?? {})), defaultAccess: permissions.defaultFieldAccess ?? 'edit' };
  const read = scopeOf(permissions.read);
  const update = scopeOf(permissions.update);
  const create = permissions.create === true;
  return {
    create,
    read,
    update,
    delete: scopeOf(permissions.delete),
    reassign: scopeOf(permissions.reassign),
    readAccess: read === 'none' ? hiddenAll : access,
    writeAccess: create || update !== 'none' ? access : hiddenAll,
  };
}

function combineAccess(a: FieldAccessMap, b: FieldAccessMap): FieldAccessMap {
  if (a === hiddenAll) return b;
  if (b === hiddenAll) return a;
  const fields = new Map<string, FieldAccess>();
  for (const name of new Set([...a.fields.keys(), ...b.fields.keys()])) fields.set(name, opener(accessOf(a, name), accessOf(b, name)));
  return { fields, defaultAccess: opener(a.defaultAccess, b.defaultAccess) };
}

/** Adds two grants: each action's wider scope, each field's more open access. */
function combine(a: EntityGrant, b: EntityGrant): EntityGrant {
  return {
    create: a.create || b.create,
    read: widerScope(a.read, b.read),
    update: widerScope(a.update, b.update),
    delete: widerScope(a.delete, b.delete),
    reassign: widerScope(a.reassign, b.reassign),
    readAccess: combineAccess(a.readAccess, b.readAccess),
    writeAccess: combineAccess(a.writeAccess, b.writeAccess),
  };
}

/** Compiled grants of one metadata set; principals' combinations are memoized per role list. */
export class RoleGrants {
  private readonly roles: ReadonlyMap<string, RoleDefinition>;
  private readonly memo = new Map<string, EntityGrant>();

  constructor(set: MetadataSet) {
    this.roles = rolesOf(set);
  }

  /** True when one of the roles is an administrator role. */
  isAdminRole(roles: readonly string[]): boolean {
    return roles.some((name) => this.roles.get(name)?.admin === true);
  }

  hasRole(name: string): boolean {
    return this.roles.has(name);
  }

  grant(principal: Principal, entity: string): EntityGrant {
    const key = `${entity}\u0000${principal.roles.join('\u0000')}`;
    let grant = this.memo.get(key);
    if (grant === undefined) {
      grant = noGrant;
      for (const name of principal.roles) {
        const permissions = this.roles.get(name)?.permissions?.[entity];
        if (permissions) grant = combine(grant, grantOf(permissions));
      }
      if (this.memo.size > 5000) this.memo.clear();
      this.memo.set(key, grant);
    }
    return grant;
  }
}

export function scopeFor(grant: EntityGrant, action: EntityAction): Scope {
  if (action === 'create') return grant.create ? 'all' : 'none';
  return grant[action];
}

const cache = new WeakMap<MetadataSet, RoleGrants>();

/** The compiled grants of a set, compiled once. */
export function roleGrantsOf(set: MetadataSet): RoleGrants {
  let grants = cache.get(set);
  if (!grants) cache.set(set, (grants = new RoleGrants(set)));
  return grants;
}
