// A record's stays in its workflows' states (GET /api/data/{entity}/{id}/state-history): how long
// each lasted by the server's clock — the open one up to the server's "now" — against the state's
// `slaHours`. The studio reads an SLA's time left from here, never from the browser's clock.

import type { components } from '../../../sdk/src/generated/schema.ts';
import { getJson } from './client.ts';

export type StateHistory = components['schemas']['crm.StateHistory'];
export type StayView = StateHistory['items'][number]['stays'][number];

export function fetchStateHistory(entity: string, id: string): Promise<StateHistory> {
  return getJson<StateHistory>(`/api/data/${encodeURIComponent(entity)}/${encodeURIComponent(id)}/state-history`);
}
