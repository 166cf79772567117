// Sign-in, the current user, first-run setup and passwords.

import { getJson, postJson, request, setCsrfToken } from './client.ts';

export interface CurrentUser {
  id: string;
  email: string;
  name?: string;
  admin?: boolean;
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
