// The studio's menu for one caller: installed templates' modules (in their order, with their
// labels) and the entities, views and dashboards of each that the caller may read; what belongs to
// no module (the admin's own items) comes last: under the group its entity's `menuGroup` names (a
// module's group when the label is that module's, else a group of its own), or under "Other". Names only — the studio reads each item through
// /api/meta, which narrows it to the caller the same way. Beside the menu, what the caller may do
// with each entity it reads (`access`), so the app offers only the actions a role has: whether a
// given record is within the action's scope stays the server's answer on each request. And the
// dashboard the caller lands on (`home`), and the organisation's currency (`currency`): a server-wide
// fact the studio writes amounts with, never written into the metadata it saves.

import { metadataViewer, narrowDocument } from '../access/narrow-metadata.ts';
import type { EntityAction } from '../access/policy.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { MetadataDocument } from '../metadata/metadata-set.ts';
import type { RequestContext } from '../records/request-context.ts';
import type { StoreReader } from '../store/store-port.ts';
import { loadInstalledTemplates } from '../templates/installed-templates.ts';
import { findHomeDashboard } from './home-dashboard.ts';

export interface NavigationGroup {
  /** `template/module`, or `other` for items of no module. */
  key: string;
  label: LocalizedText;
  entities: string[];
  views: string[];
  dashboards: string[];
}

export interface Navigation {
  revision: number;
  groups: NavigationGroup[];
  /** Per entity the caller may read: the actions any of its roles grants (on some records at least). */
  access: Record<string, EntityAction[]>;
  /** The dashboard the caller lands on (see home-dashboard.ts); absent when none fits. */
  home?: string;
  /** The organisation's currency (CRM_CURRENCY): what an amount whose field names none is in; absent when unset. */
  currency?: string;
}

const writeActions: readonly EntityAction[] = ['create', 'update', 'delete', 'reassign'];

type Kind = 'entity' | 'view' | 'dashboard';
const kinds: Kind[] = ['entity', 'view', 'dashboard'];

export async function loadNavigation(reader: Pick<StoreReader, 'find'>, ctx: RequestContext, currency?: string): Promise<Navigation> {
  const viewer = metadataViewer({ policy: ctx.policy, principal: ctx.principal, model: ctx.model });
  const set = ctx.model.set;
  const visible = (kind: Kind, name: string): boolean => {
    const doc = set.get(kind, name);
    if (!doc) return false;
    const entityDoc: MetadataDocument | undefined = kind === 'entity' ? doc : typeof doc['entity'] === 'string' ? set.get('entity', doc['entity']) : undefined;
    return narrowDocument(doc, viewer, entityDoc) !== undefined;
  };
  // The group an entity's menuGroup names (an admin's choice wins over the module that lists it).
  const chosenGroup = (entity: string): LocalizedText | undefined => nameOnly(set.get('entity', entity)?.['menuGroup'] as LocalizedText | undefined);
  const placed = new Set<string>();
  const groups: NavigationGroup[] = [];
  const moduleGroups: NavigationGroup[] = [];
  const installed = (await loadInstalledTemplates(reader)).map(({ state }) => state);
  for (const state of installed) {
    const modules = Object.entries(state.manifest.modules ?? {})
      .filter(([name]) => state.modulesOn.includes(name))
      .sort(([, a], [, b]) => (a.order ?? 0) - (b.order ?? 0));
    for (const [name, module] of modules) {
      const items = (module.items ?? {}) as Partial<Record<Kind, string[]>>;
      const label = module.label as LocalizedText;
      const elsewhere = (n: string) => {
        const chosen = chosenGroup(n);
        return chosen !== undefined && !sameLabel(chosen, label);
      };
      const pick = (kind: Kind) => (items[kind] ?? []).filter((n) => !placed.has(`${kind}/${n}`) && visible(kind, n) && !(kind === 'entity' && elsewhere(n)));
      const group: NavigationGroup = { key: `${state.name}/${name}`, label, entities: pick('entity'), views: pick('view'), dashboards: pick('dashboard') };
      for (const kind of kinds) for (const n of group[plural(kind)]) placed.add(`${kind}/${n}`);
      moduleGroups.push(group);
    }
  }
  const rest = (kind: Kind) => set.list(kind).map((d) => d.name).filter((n) => !placed.has(`${kind}/${n}`) && visible(kind, n));
  // Entities with a menuGroup, and the views over them no module placed, join the group it names.
  const ownGroups: NavigationGroup[] = [];
  const groupOf = (label: LocalizedText): NavigationGroup => {
    const found = [...moduleGroups, ...ownGroups].find((g) => sameLabel(g.label, label));
    if (found) return found;
    const made: NavigationGroup = { key: `group/${groupKey(label)}`, label, entities: [], views: [], dashboards: [] };
    ownGroups.push(made);
    return made;
  };
  for (const n of rest('entity')) {
    const chosen = chosenGroup(n);
    if (chosen === undefined) continue;
    groupOf(chosen).entities.push(n);
    placed.add(`entity/${n}`);
  }
  for (const n of rest('view')) {
    const entity = set.get('view', n)?.['entity'];
    const chosen = typeof entity === 'string' ? chosenGroup(entity) : undefined;
    if (chosen === undefined) continue;
    groupOf(chosen).views.push(n);
    placed.add(`view/${n}`);
  }
  for (const group of [...moduleGroups, ...ownGroups]) {
    if (group.entities.length + group.views.length + group.dashboards.length > 0) groups.push(group);
  }
  const other: NavigationGroup = { key: 'other', label: { en: 'Other', zh: '其他' }, entities: rest('entity'), views: rest('view'), dashboards: rest('dashboard') };
  if (other.entities.length + other.views.length + other.dashboards.length > 0) groups.push(other);
  const home = findHomeDashboard({ ctx, templates: installed, readable: (name) => visible('dashboard', name) });
  return { revision: ctx.model.revision, groups, access: accessOf(ctx, viewer), ...(home !== undefined ? { home } : {}), ...(currency !== undefined ? { currency } : {}) };
}

/**
 * A menuGroup without its texts of white space alone (stored before the schema refused them): none
 * left, it names no group — the menu shows no group without a name, nor a blank one in a language.
 */
function nameOnly(label: LocalizedText | undefined): LocalizedText | undefined {
  if (label === undefined) return undefined;
  if (typeof label === 'string') return label.trim() === '' ? undefined : label;
  const named = Object.entries(label).filter(([, text]) => typeof text === 'string' && text.trim() !== '');
  return named.length === 0 ? undefined : (Object.fromEntries(named) as LocalizedText);
}

/** The texts of a label, trimmed and lower-cased: a plain string, or each language's. */
function labelTexts(label: LocalizedText): string[] {
  const texts = typeof label === 'string' ? [label] : Object.values(label).filter((v): v is string => typeof v === 'string');
  return texts.map((t) => t.trim().toLowerCase()).filter(Boolean);
}

/** Two labels name the same group when they share a text in any language ("Teaching" and { en: "teaching", zh: "教学" }). */
function sameLabel(a: LocalizedText, b: LocalizedText): boolean {
  const texts = new Set(labelTexts(a));
  return labelTexts(b).some((t) => texts.has(t));
}

/** A group's key from its label: the first of its texts (English first), percent-encoded. */
function groupKey(label: LocalizedText): string {
  const first = typeof label === 'string' ? label : (label.en ?? Object.values(label).find((v) => typeof v === 'string') ?? '');
  return encodeURIComponent(first.trim().toLowerCase());
}

function accessOf(ctx: RequestContext, viewer: ReturnType<typeof metadataViewer>): Record<string, EntityAction[]> {
  const access: Record<string, EntityAction[]> = {};
  for (const [name, entity] of ctx.model.entities) {
    if (!viewer.entityReadable(name)) continue;
    access[name] = ['read', ...writeActions.filter((action) => granted(() => ctx.policy.assertEntityAction(ctx.principal, entity, action)))];
  }
  return access;
}

function granted(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

function plural(kind: Kind): 'entities' | 'views' | 'dashboards' {
  return kind === 'entity' ? 'entities' : kind === 'view' ? 'views' : 'dashboards';
}
