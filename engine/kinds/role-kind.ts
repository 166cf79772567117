// The role kind: grants must name entities and fields that exist, never let a role change or
// delete what it cannot read (or reassign what it cannot update), and name workflow transitions
// that exist on a workflow of that entity, and land on a dashboard that exists. `admin` is reserved
// for administrator API tokens.

import { type IssueDetail, pointerSegment as escape } from '../kernel/errors.ts';
import type { EntityPermissions, RecordScope, RoleDefinition } from '../metadata/generated/metadata.ts';
import type { MetadataSet } from '../metadata/metadata-set.ts';
import type { MetadataKind } from './metadata-kind.ts';

const rank = (scope: RecordScope | undefined): number => ({ own: 1, team: 2, all: 3 })[String(scope) as 'own'] ?? 0;

function checkScopes(permissions: EntityPermissions, path: string): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const verb of ['update', 'delete'] as const) {
    if (rank(permissions[verb]) > rank(permissions.read)) issues.push({ path: `${path}/${verb}`, message: `is wider than read (${String(permissions.read ?? false)}): a role may not change records it cannot see` });
  }
  if (rank(permissions.reassign) > rank(permissions.update)) issues.push({ path: `${path}/reassign`, message: `is wider than update (${String(permissions.update ?? false)})` });
  return issues;
}

function checkTransitions(permissions: EntityPermissions, entity: string, set: MetadataSet, path: string): IssueDetail[] {
  const issues: IssueDetail[] = [];
  for (const [workflowName, names] of Object.entries(permissions.transitions ?? {})) {
    const at = `${path}/transitions/${escape(workflowName)}`;
    const workflow = set.get('workflow', workflowName) as { entity?: string; transitions?: Record<string, unknown> } | undefined;
    if (!workflow) {
      issues.push({ path: at, message: `refers to workflow "${workflowName}", which does not exist` });
    } else if (workflow.entity !== entity) {
      issues.push({ path: at, message: `workflow "${workflowName}" belongs to ${String(workflow.entity)}, not ${entity}` });
    } else if (Array.isArray(names)) {
      names.forEach((name, i) => {
        if (!(name in (workflow.transitions ?? {}))) issues.push({ path: `${at}/${i}`, message: `workflow "${workflowName}" has no transition "${name}"` });
      });
    }
  }
  return issues;
}

export const roleKind: MetadataKind = {
  kind: 'role',
  plural: 'roles',
  check(document, set) {
    const role = document as unknown as RoleDefinition;
    const issues: IssueDetail[] = [];
    if (role.name === 'admin') issues.push({ path: '/name', message: '"admin" is reserved (it names administrator API tokens); call the role e.g. "administrator"' });
    if (role.homeDashboard !== undefined && !set.get('dashboard', role.homeDashboard)) issues.push({ path: '/homeDashboard', message: `refers to dashboard "${role.homeDashboard}", which does not exist` });
    for (const [entityName, permissions] of Object.entries(role.permissions ?? {})) {
      const path = `/permissions/${escape(entityName)}`;
      const entity = set.entity(entityName);
      if (!entity) {
        issues.push({ path, message: `refers to entity "${entityName}", which does not exist` });
        continue;
      }
      for (const field of Object.keys(permissions.fields ?? {})) {
        if (!Object.hasOwn(entity.fields, field)) issues.push({ path: `${path}/fields/${escape(field)}`, message: `refers to "${field}", which is not a field of ${entityName}` });
      }
      issues.push(...checkScopes(permissions, path), ...checkTransitions(permissions, entityName, set, path));
    }
    return issues;
  },
};
