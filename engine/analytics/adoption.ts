// Adoption: how people use the CRM, from the audit trail and the workflows' state history — records
// created and edited per user, per role and per week, active users per week, workflow transitions
// per week and time in each state. Weeks start on Monday in the server's zone. Administrators only.

import { andFilters, internalField, type FilterNode } from '../filter/filter-tree.ts';
import { addDays, startOfLocalDay } from '../kernel/time-zones.ts';
import type { CompiledModel } from '../compile/compiled-model.ts';
import { auditCollection } from '../records/audit-trail.ts';
import { findUsersByIds } from '../security/user-store.ts';
import type { StoreReader } from '../store/store-port.ts';
import { workflowsOf } from '../workflow/compile-workflow.ts';
import { summarizeStays } from '../workflow/sla-report.ts';
import { staysOfWorkflow } from '../workflow/state-history.ts';

export interface AdoptionReport {
  from: string;
  to: string;
  timeZone: string;
  weeks: { week: string; activeUsers: number; created: number; edited: number; transitions: number }[];
  users: { user: string; email?: string; roles: string[]; week: string; created: number; edited: number; transitions: number }[];
  roles: { role: string; week: string; created: number; edited: number; transitions: number; activeUsers: number }[];
  workflows: { workflow: string; week: string; transitions: number }[];
  timeInState: { workflow: string; states: unknown }[];
}

const kinds = { create: 'created', update: 'edited', transition: 'transitions' } as const;

/** Activity between the local days `from` and `to` (both included). */
export async function adoptionReport(args: { reader: StoreReader; model: CompiledModel; from: string; to: string; timeZone: string; now: Date }): Promise<AdoptionReport> {
  const { reader, timeZone } = args;
  const at = internalField('at', 'datetime');
  const range: FilterNode = andFilters(
    { kind: 'compare', field: at, op: '$gte', value: startOfLocalDay(args.from, timeZone) },
    { kind: 'compare', field: at, op: '$lt', value: startOfLocalDay(addDays(args.to, 1), timeZone) },
    { kind: 'in', field: internalField('action'), values: Object.keys(kinds), negate: false },
  );
  const week = { name: 'week', field: at, bucket: 'week' as const, timeZone };
  const rows = await reader.group(auditCollection.name, {
    filter: range,
    keys: [{ name: 'user', field: internalField('by') }, week, { name: 'action', field: internalField('action') }, { name: 'workflow', field: internalField('details.workflow') }],
    measures: [{ name: 'n', op: 'count' }],
    sort: [],
  });
  // Only the users who acted: the report reads them by id, whatever the size of the directory.
  const actors = [...new Set(rows.map((row) => String(row.key['user'] ?? '')))].filter(Boolean);
  const users = new Map((await findUsersByIds(reader, actors)).map((u) => [u.id, u]));
  const perUser = new Map<string, AdoptionReport['users'][number]>();
  const perWorkflow = new Map<string, AdoptionReport['workflows'][number]>();
  for (const row of rows) {
    const user = String(row.key['user'] ?? '');
    // The system and unsigned callers are not people using the CRM.
    if (!users.has(user)) continue;
    const weekLabel = String(row.key['week']);
    const kind = kinds[row.key['action'] as keyof typeof kinds];
    const n = Number(row.values['n']);
    const key = `${user}|${weekLabel}`;
    const found = perUser.get(key) ?? { user, ...(users.get(user)!.email ? { email: users.get(user)!.email } : {}), roles: [...(users.get(user)!.roles ?? [])], week: weekLabel, created: 0, edited: 0, transitions: 0 };
    found[kind] += n;
    perUser.set(key, found);
    if (kind === 'transitions' && typeof row.key['workflow'] === 'string') {
      const wKey = `${row.key['workflow']}|${weekLabel}`;
      const w = perWorkflow.get(wKey) ?? { workflow: row.key['workflow'], week: weekLabel, transitions: 0 };
      w.transitions += n;
      perWorkflow.set(wKey, w);
    }
  }
  const byWeek = new Map<string, AdoptionReport['weeks'][number]>();
  const byRole = new Map<string, AdoptionReport['roles'][number]>();
  for (const u of perUser.values()) {
    const w = byWeek.get(u.week) ?? { week: u.week, activeUsers: 0, created: 0, edited: 0, transitions: 0 };
    w.activeUsers += 1;
    w.created += u.created;
    w.edited += u.edited;
    w.transitions += u.transitions;
    byWeek.set(u.week, w);
    for (const role of u.roles.length > 0 ? u.roles : ['(none)']) {
      const rKey = `${role}|${u.week}`;
      const r = byRole.get(rKey) ?? { role, week: u.week, created: 0, edited: 0, transitions: 0, activeUsers: 0 };
      r.created += u.created;
      r.edited += u.edited;
      r.transitions += u.transitions;
      r.activeUsers += 1;
      byRole.set(rKey, r);
    }
  }
  const order = <T extends { week: string }>(list: Iterable<T>, by: (t: T) => string) => [...list].sort((a, b) => a.week.localeCompare(b.week) || by(a).localeCompare(by(b)));
  const timeInState: AdoptionReport['timeInState'] = [];
  for (const workflow of workflowsOf(args.model).values()) {
    if (!workflow.field) continue;
    timeInState.push({ workflow: workflow.name, states: summarizeStays(workflow, await staysOfWorkflow(reader, workflow.name), args.now) });
  }
  return {
    from: args.from, to: args.to, timeZone,
    weeks: order(byWeek.values(), () => ''),
    users: order(perUser.values(), (u) => u.user),
    roles: order(byRole.values(), (r) => r.role),
    workflows: order(perWorkflow.values(), (w) => w.workflow),
    timeInState,
  };
}
