// Dashboards: the metadata (through /api/meta) and every widget's figures in one answer
// (GET /api/dashboards/{name}, served by analytics). A widget the viewer cannot compute comes
// back with its error; the others still have their data.

import { getJson } from './client.ts';
import type { Label } from '../i18n/i18n.ts';

export interface GroupRow {
  key: Record<string, unknown>;
  values: Record<string, number | null>;
  drill?: Record<string, unknown>;
}

export interface WidgetData {
  type: string;
  entity: string;
  error?: { code: string; message: string };
  value?: number | null;
  previous?: number | null;
  change?: number | null;
  groups?: GroupRow[];
  cells?: GroupRow[];
  rowTotals?: GroupRow[];
  columnTotals?: GroupRow[];
  total?: number | null;
  columns?: string[];
  items?: Record<string, unknown>[];
  states?: { state: string; label?: Label; [k: string]: unknown }[];
  [key: string]: unknown;
}

export interface DashboardData {
  name: string;
  title?: Label;
  widgets: Record<string, WidgetData>;
}

export function runDashboard(name: string, filters?: Record<string, unknown>): Promise<DashboardData> {
  return getJson<DashboardData>(`/api/dashboards/${encodeURIComponent(name)}`, { filters: filters && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined });
}
