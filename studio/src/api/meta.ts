// Metadata as the caller may see it, cached by TanStack Query per kind: a new revision (seen in the
// navigation answer, refetched on focus) makes every metadata query fetch again.

import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { Label } from '../i18n/language.ts';
import { getJson } from './client.ts';

export interface NavigationGroup {
  key: string;
  label: Label;
  entities: string[];
  views: string[];
  dashboards: string[];
}
export type EntityAction = 'read' | 'create' | 'update' | 'delete' | 'reassign';

export interface Navigation {
  revision: number;
  groups: NavigationGroup[];
  /** Per entity the caller reads: the actions its roles grant (on some records; each record is the server's answer). */
  access: Record<string, EntityAction[]>;
  /** The dashboard the caller lands on: their role's own, else an installed template's home (one they may read). */
  home?: string;
  /** The organisation's currency (CRM_CURRENCY, ISO 4217): what an amount whose field names none is in. */
  currency?: string;
}

export interface PicklistOption {
  label?: Label;
  color?: string;
}

/** A field as metadata describes it (only what the studio reads). */
export interface FieldDef {
  type: string;
  label?: Label;
  help?: Label;
  required?: boolean;
  readOnly?: boolean;
  maxLength?: number;
  min?: number;
  max?: number;
  options?: Record<string, PicklistOption>;
  to?: string | string[];
  currency?: string;
  /** Decimal places a number field keeps. */
  scale?: number;
  returns?: string;
  default?: unknown;
  prefix?: string;
  /** A filtered lookup's `$record` fields, in a non-admin's metadata (the filter itself is an admin's). */
  filterReads?: string[];
  [key: string]: unknown;
}

export interface EntityDef {
  kind: 'entity';
  name: string;
  label?: Label;
  pluralLabel?: Label;
  titleField?: string;
  /** The studio menu's group the entity sits under (none: "Other", unless a template module lists it). */
  menuGroup?: Label;
  fields: Record<string, FieldDef>;
}

export interface ViewDef {
  kind: 'view';
  name: string;
  entity: string;
  label?: Label;
  type?: 'list' | 'kanban' | string;
  default?: boolean;
  columns?: Record<string, { order?: number; width?: number; label?: Label }>;
  filter?: Record<string, unknown>;
  sort?: string;
  pageSize?: number;
  kanban?: { groupBy: string; cardFields?: string[]; hideFinal?: boolean };
}

export interface FormFieldDef {
  order?: number;
  readOnly?: boolean;
  span?: number;
  widget?: string;
  placeholder?: Label;
  help?: Label;
  visibleWhen?: string;
  requiredWhen?: string;
  readOnlyWhen?: string;
}
export interface FormSectionDef {
  order?: number;
  label?: Label;
  columns?: number;
  collapsed?: boolean;
  visibleWhen?: string;
  fields?: Record<string, FormFieldDef>;
  related?: { entity: string; via: string; view?: string };
}
export interface FormDef {
  kind: 'form';
  name: string;
  entity: string;
  label?: Label;
  default?: boolean;
  sections: Record<string, FormSectionDef>;
  [key: string]: unknown;
}

export interface WorkflowDef {
  kind: 'workflow';
  name: string;
  entity: string;
  field?: string;
  states?: Record<string, { label?: Label; final?: boolean; initial?: boolean; [k: string]: unknown }>;
  transitions?: Record<string, { from: string | string[]; to: string; label?: Label; [k: string]: unknown }>;
  [key: string]: unknown;
}

export interface DashboardDef {
  kind: 'dashboard';
  name: string;
  label?: Label;
  [key: string]: unknown;
}

interface MetaList<T> {
  revision: number;
  items: { name: string; definition: T }[];
}

export const navigationKey = ['navigation'] as const;

// The organisation's currency, as the last navigation answer gave it: a server-wide fact every
// amount is written with (records/amount-currency.ts), kept beside the metadata and never in it —
// the designers save definitions back as the server sent them. Pages render once the navigation
// answered (AppLayout), so no amount is written before it is known.
let organisationCurrency: string | undefined;

/** The organisation's currency (CRM_CURRENCY); undefined when the server has none or has not answered yet. */
export function findOrganisationCurrency(): string | undefined {
  return organisationCurrency;
}

async function loadNavigation(): Promise<Navigation> {
  const navigation = await getJson<Navigation>('/api/studio/navigation');
  organisationCurrency = navigation.currency;
  return navigation;
}

export function useNavigation() {
  return useQuery({ queryKey: navigationKey, queryFn: loadNavigation, staleTime: 30_000, refetchOnWindowFocus: true });
}

/**
 * Whether the caller's roles grant `action` on `entity` at all — for offering the action, not for
 * deciding it (the scope, own or team, is checked by the server per record). Offered while unknown.
 */
export function useEntityAccess(entity: string): (action: EntityAction) => boolean {
  const navigation = useNavigation().data;
  return (action) => navigation === undefined || (navigation.access[entity]?.includes(action) ?? false);
}

/** The revision the studio currently works on (0 until the navigation answered). */
export function useRevision(): number {
  return useNavigation().data?.revision ?? 0;
}

type KindMap = { entities: EntityDef; views: ViewDef; forms: FormDef; workflows: WorkflowDef; dashboards: DashboardDef };
export type MetaKind = keyof KindMap;
export const metaKinds: MetaKind[] = ['entities', 'views', 'forms', 'workflows', 'dashboards'];

interface MetaAnswer<T> {
  revision: number;
  items: Map<string, T>;
}

/**
 * One kind's query: keyed by kind alone (not by revision), so it starts with the navigation, not
 * after it, and a page load asks once. The answer carries its revision; a newer one in the
 * navigation makes it fetch again (useMetaKind).
 */
export function metaQuery<K extends MetaKind>(kind: K) {
  return {
    queryKey: ['meta', kind] as const,
    queryFn: async (): Promise<MetaAnswer<KindMap[K]>> => {
      const list = await getJson<MetaList<KindMap[K]>>(`/api/meta/${kind}`);
      const items = new Map(list.items.map((i) => [i.name, i.definition]));
      if (kind === 'entities') linkRollupSources(items as Map<string, EntityDef>);
      return { revision: list.revision, items };
    },
    staleTime: Infinity,
  };
}

/** Every item of a kind the caller may read, by name. */
export function useMetaKind<K extends MetaKind>(kind: K) {
  const revision = useRevision();
  const client = useQueryClient();
  const query = useQuery({ ...metaQuery(kind), select: (answer: MetaAnswer<KindMap[K]>) => answer.items });
  const seen = client.getQueryData<MetaAnswer<KindMap[K]>>(['meta', kind])?.revision ?? 0;
  const outdated = revision > seen && query.isSuccess && !query.isFetching;
  // Asked once per revision seen (an answer older than the navigation's never loops).
  const asked = useRef(0);
  useEffect(() => {
    if (!outdated || asked.current >= revision) return;
    asked.current = revision;
    void client.invalidateQueries({ queryKey: ['meta', kind] }, { cancelRefetch: false });
  }, [outdated, revision, client, kind]);
  return query;
}

/** A kind's items as the query cache holds them (undefined before the first answer). */
export function cachedMetaKind<K extends MetaKind>(client: QueryClient, kind: K): Map<string, KindMap[K]> | undefined {
  return client.getQueryData<MetaAnswer<KindMap[K]>>(metaQuery(kind).queryKey)?.items;
}

/** Starts every kind's query (the signed-in frame does, beside the navigation's). */
export function prefetchMetadata(client: QueryClient): void {
  for (const kind of metaKinds) void client.prefetchQuery(metaQuery(kind));
}

// A rollup names the child field it aggregates, not the type of its value: the field is found once
// per answer, beside the definitions (which stay as the server sent them: designers save them back).
const rollupSources = new WeakMap<FieldDef, FieldDef>();

function linkRollupSources(entities: Map<string, EntityDef>): void {
  for (const entity of entities.values()) {
    for (const field of Object.values(entity.fields)) {
      const source = field.type === 'rollup' && typeof field['from'] === 'string' && typeof field['field'] === 'string' ? entities.get(field['from'])?.fields[field['field']] : undefined;
      if (source) rollupSources.set(field, source);
    }
  }
}

/** The child field a rollup aggregates, when the caller may read the child entity's metadata. */
export function findRollupSource(field: FieldDef): FieldDef | undefined {
  return rollupSources.get(field);
}

export function useEntities() {
  return useMetaKind('entities');
}
