// Sign-in, the current user and their language, first-run setup and passwords.

import type { operations } from '../../../sdk/src/generated/schema.ts';
import type { Language } from '../i18n/language.ts';
import { getJson, postJson, request, setCsrfToken } from './client.ts';

export interface CurrentUser {
  id: string;
  email: string;
  name?: string;
  admin?: boolean;
  /** The user's language, saved with the user (notifications and e-mails come in it); absent until chosen. */
  locale?: Language;
}

export interface Me {
  user: CurrentUser;
  roles: string[];
  teams: string[];
  admin: boolean;
  csrfToken?: string;
}

/** Who is signed in, or undefined when nobody is. */
export async function fetchMe(): Promise<Me | undefined> {
  try {
    const me = (await request<Me>('/api/auth/me', { quiet401: true })).body;
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if ((error as { status?: number }).status === 401) return undefined;
    throw error;
  }
}

/** Saves the caller's language with their user (PATCH /api/auth/me): the studio's, their notifications' and e-mails'. */
export async function saveMyLanguage(locale: Language): Promise<Me> {
  const body: operations['updateMe']['requestBody']['content']['application/json'] = { locale };
  return (await request<Me>('/api/auth/me', { method: 'PATCH', body })).body;
}

export async function signIn(email: string, password: string): Promise<void> {
  const answer = await request<{ csrfToken: string }>('/api/auth/login', { method: 'POST', body: { email, password }, quiet401: true });
  setCsrfToken(answer.body.csrfToken);
}

export async function signOut(): Promise<void> {
  await postJson('/api/auth/logout');
  setCsrfToken(undefined);
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await postJson('/api/auth/password', { currentPassword, newPassword });
  setCsrfToken(undefined);
}

export async function createFirstAdmin(token: string, body: { email: string; name?: string; password: string }): Promise<void> {
  const answer = await request<{ csrfToken: string }>(`/api/setup/${encodeURIComponent(token)}`, { method: 'POST', body });
  setCsrfToken(answer.body.csrfToken);
}

export const loadMe = (): Promise<Me> => getJson<Me>('/api/auth/me');
