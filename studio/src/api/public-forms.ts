// Published web forms, for visitors who are not signed in: the form and its submission.

import { getJson, postJson } from './client.ts';
import type { EntityDef, FormDef } from './meta.ts';
import type { Label } from '../i18n/i18n.ts';

export interface PublicForm {
  name: string;
  title: Label;
  intro?: Label;
  thankYou?: Label;
  entity: Pick<EntityDef, 'name' | 'label' | 'fields'>;
  form: FormDef;
}

export function getPublicForm(name: string): Promise<PublicForm> {
  return getJson<PublicForm>(`/api/public/forms/${encodeURIComponent(name)}`);
}

/** Errors name fields under /values (e.g. `/values/email`); a filled honeypot is refused at /honeypot. */
export function submitPublicForm(name: string, values: Record<string, unknown>, honeypot: string): Promise<{ status: 'accepted' }> {
  return postJson(`/api/public/forms/${encodeURIComponent(name)}/submissions`, { values, honeypot });
}
