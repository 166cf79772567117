// Saved personal views: a name, the filter bar's state and the sort, kept per user and view in the
// browser's storage (personal by construction: nothing another user can see or change).

import type { FilterState } from './list-filters.ts';

export interface SavedView {
  name: string;
  filters: FilterState;
  sort: string;
}

const key = (user: string, view: string) => `crm.savedViews.${user}.${view}`;

export function loadSavedViews(user: string, view: string): SavedView[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(key(user, view)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as SavedView[]) : [];
  } catch {
    return [];
  }
}

export function storeSavedViews(user: string, view: string, views: SavedView[]): void {
  localStorage.setItem(key(user, view), JSON.stringify(views.slice(0, 50)));
}
