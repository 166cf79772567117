// Metadata as the caller may see it, cached by TanStack Query under the metadata revision: a new
// revision (seen in the navigation answer, refetched on focus) makes every metadata query fresh.

import { useQuery } from '@tanstack/react-query';
import type { Label } from '../i18n/i18n.ts';
import { getJson } from './client.ts';

export interface NavigationGroup {
  key: string;
  label: Label;
  entities: string[];
  views: string[];
  dashboards: string[];
}
export interface Navigation {
  revision: number;
  groups: NavigationGroup[];
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
  returns?: string;
  default?: unknown;
  prefix?: string;
  [key: string]: unknown;
}

export interface EntityDef {
  kind: 'entity';
  name: string;
  label?: Label;
  pluralLabel?: Label;
  titleField?: string;
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

export function useNavigation() {
  return useQuery({ queryKey: navigationKey, queryFn: () => getJson<Navigation>('/api/studio/navigation'), staleTime: 30_000, refetchOnWindowFocus: true });
}

/** The revision the studio currently works on (0 until the navigation answered). */
export function useRevision(): number {
  return useNavigation().data?.revision ?? 0;
}

type KindMap = { entities: EntityDef; views: ViewDef; forms: FormDef; workflows: WorkflowDef; dashboards: DashboardDef };

/** Every item of a kind the caller may read, by name. */
export function useMetaKind<K extends keyof KindMap>(kind: K) {
  const revision = useRevision();
  return useQuery({
    queryKey: ['meta', revision, kind],
    queryFn: async () => {
      const list = await getJson<MetaList<KindMap[K]>>(`/api/meta/${kind}`);
      return new Map(list.items.map((i) => [i.name, i.definition]));
    },
    staleTime: Infinity,
    enabled: revision > 0 || kind !== undefined,
  });
}

export function useEntities() {
  return useMetaKind('entities');
}
