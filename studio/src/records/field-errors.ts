// Server errors name their field by JSON pointer (`/priority`, `/address/city`); forms want a
// field path. Pointer segments are unescaped per RFC 6901.

import type { ErrorDetail } from '../api/client.ts';

export function pointerToPath(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Messages grouped by field path; errors naming no field come under the empty path. */
export function fieldErrorsOf(details: ErrorDetail[]): [string[], string[]][] {
  const byField = new Map<string, { path: string[]; messages: string[] }>();
  for (const d of details) {
    const path = pointerToPath(d.path);
    const key = path.join('/');
    const entry = byField.get(key) ?? { path, messages: [] };
    entry.messages.push(d.message);
    byField.set(key, entry);
  }
  return [...byField.values()].map((e) => [e.path, e.messages]);
}

/** Puts server errors next to the fields of an antd form (those naming no field are returned). */
export function setServerErrors(form: { setFields: (fields: never[]) => void }, details: ErrorDetail[]): string[] {
  const rest: string[] = [];
  const fields = fieldErrorsOf(details).flatMap(([name, errors]) => {
    if (name.length === 0) {
      rest.push(...errors);
      return [];
    }
    return [{ name, errors }];
  });
  form.setFields(fields as never[]);
  return rest;
}
