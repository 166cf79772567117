// The current UI language and a label picker bound to it.

import { useTranslation } from 'react-i18next';
import { localize, type Label, type Language } from '../i18n/i18n.ts';

export function useLanguage(): { language: Language; label: (l: Label, fallback?: string) => string } {
  const { i18n } = useTranslation();
  const language: Language = i18n.language === 'zh' ? 'zh' : 'en';
  return { language, label: (l, fallback = '') => localize(l, language, fallback) };
}
