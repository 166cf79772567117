// A record's stays in its workflows' states (GET /api/data/{entity}/{id}/state-history): how long
// each lasted by the server's clock — the open one up to the server's "now" — against the state's
// `slaHours`. The studio reads an SLA's time left from here, never from the browser's clock.

import { getJson } from './client.ts';

export interface StayView {
  state: string;
  enteredAt: string;
  leftAt?: string;
  /** How long the stay lasted (an open stay: until the server answered). */
  durationMs: number;
  by: string;
  via?: string;
  slaHours?: number;
  breached: boolean;
}

export interface StateHistory {
  items: { workflow: string; field: string; stays: StayView[] }[];
}

export function fetchStateHistory(entity: string, id: string): Promise<StateHistory> {
  return getJson<StateHistory>(`/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}/state-history`);
}
