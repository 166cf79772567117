// Passwords: argon2id with OWASP's parameters, a length floor, and a refusal of the well-known
// defaults (admin/admin and friends) so that no default credential can ever work.

import argon2 from 'argon2';
import { localize, type Locale } from '../kernel/i18n.ts';

const options = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const minPasswordLength = 10;
export const maxPasswordLength = 200;

const wellKnown = new Set(['admin', 'administrator', 'password', 'passw0rd', 'changeme', 'letmein', 'welcome', 'root', 'toor', 'default', 'secret', 'qwerty', 'crm', 'admin123', 'password1', '1234567890', '0123456789', 'qwertyuiop', 'administrator1', 'password123', 'changeme123']);

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, options);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** A hash of nothing anyone knows: verified against when the e-mail is unknown, so timing tells nothing. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(`decoy-${Math.random()}-${Date.now()}`);
  return decoyHash;
}

const fewestDistinctCharacters = 4;
/** What every "too easy to guess" reason ends with: a way to a password that is not. */
const suggestion = {
  en: 'Try three or four unrelated words, or a longer sentence only you would think of.',
  zh: '可以试试三四个互不相关的词，或一句只有你会想到的较长的话。',
};
const tooEasy = (why: { en: string; zh: string }, locale: Locale) =>
  localize({ en: `is too easy to guess: ${why.en}. ${suggestion.en}`, zh: `过于容易猜测：${why.zh}。${suggestion.zh}` }, locale);

/** Why a new password is refused — the reason and a suggestion — or undefined when it is acceptable. */
export function checkNewPassword(password: unknown, email: string, locale: Locale): string | undefined {
  if (typeof password !== 'string') return localize({ en: 'must be a string', zh: '必须是字符串' }, locale);
  if (password.length < minPasswordLength) return localize({ en: `must have at least ${minPasswordLength} characters`, zh: `至少 ${minPasswordLength} 个字符` }, locale);
  if (password.length > maxPasswordLength) return localize({ en: `must have at most ${maxPasswordLength} characters`, zh: `最多 ${maxPasswordLength} 个字符` }, locale);
  const lower = password.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  if (wellKnown.has(lower)) return tooEasy({ en: 'it is one of the passwords tried first by anyone guessing', zh: '它是猜密码的人最先尝试的常见密码之一' }, locale);
  if (lower === email.toLowerCase()) return tooEasy({ en: 'it is your e-mail address', zh: '它就是你的邮箱地址' }, locale);
  if (local.length >= 4 && lower.includes(local)) return tooEasy({ en: `it contains your e-mail name "${local}"`, zh: `它包含你的邮箱用户名“${local}”` }, locale);
  const distinct = new Set(lower).size;
  if (distinct < fewestDistinctCharacters) {
    return tooEasy({ en: `it uses only ${distinct} different characters (at least ${fewestDistinctCharacters} are needed)`, zh: `它只用了 ${distinct} 个不同的字符（至少需要 ${fewestDistinctCharacters} 个）` }, locale);
  }
  return undefined;
}
