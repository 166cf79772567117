// i18n/: the UI's own strings (en.json, zh.json) and the language the user chose. Labels that come
// from metadata are `{ en, zh }` objects or plain strings: `localize` picks one. The features'
// own strings (<feature>/<name>.i18n.json) join them with the signed-in frame: features.ts.

import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../api/client.ts';
import en from './en.json';
import { registerNumberFormat } from './interpolation.ts';
import zh from './zh.json';
import type { Label, Language } from './language.ts';

export type { Label, Language };
export const languages: Language[] = ['en', 'zh'];
const storageKey = 'crm.language';

/** The browser's own choice: the language last switched to in it, else the browser's language. */
function browserLanguage(): Language {
  const stored = globalThis.localStorage?.getItem(storageKey);
  if (stored === 'en' || stored === 'zh') return stored;
  return (navigator.language ?? 'en').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

const lang = browserLanguage();
setApiLanguage(lang);
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, zh: { translation: zh } },
  lng: lang,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
registerNumberFormat(i18next);

function showLanguage(next: Language): void {
  setApiLanguage(next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  if (i18next.language !== next) void i18next.changeLanguage(next);
}

/** Switches the UI language and keeps it as the browser's choice (signed in, the studio also saves it with the user: session.tsx). */
export function setLanguage(next: Language): void {
  localStorage.setItem(storageKey, next);
  showLanguage(next);
}

/**
 * Signed in, the user's saved language wins over the browser's choice (without replacing it);
 * undefined — signed out, or no language saved yet — shows the browser's choice again.
 */
export function showUserLanguage(saved: Language | undefined): void {
  showLanguage(saved ?? browserLanguage());
}

export function currentLanguage(): Language {
  return i18next.language === 'zh' ? 'zh' : 'en';
}

export { localize } from './language.ts';

export default i18next;
