// kernel/i18n: bilingual text as metadata carries it — a plain string or { en, zh }.

export type Locale = 'en' | 'zh';
export const locales: readonly Locale[] = ['en', 'zh'];

/** A label or message: one string for every locale, or one per locale. */
export type LocalizedText = string | { en?: string; zh?: string };

export function localize(text: LocalizedText | undefined, locale: Locale): string {
  if (text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[locale] ?? text.en ?? text.zh ?? '';
}

/**
 * What a message names an entity or a field by, in each language: its label, its code name where it
 * has none. A reason that says "no account with name …" reads as code to someone whose screens say
 * "Client" and "Company name".
 */
export function labelsOf(label: LocalizedText | undefined, name: string): Record<Locale, string> {
  return { en: localize(label, 'en') || name, zh: localize(label, 'zh') || name };
}

/**
 * The locale one language tag names (`zh`, `zh-CN`, `zh-Hans-CN`, `EN-gb`): a download link's
 * `lang=` carries the studio's or the browser's tag. Undefined for another language or no tag.
 */
export function localeOfTag(tag: string | undefined): Locale | undefined {
  const match = tag === undefined ? null : /^(en|zh)(?:-[a-z0-9]{1,8})*$/i.exec(tag.trim());
  return match ? (match[1]!.toLowerCase() as Locale) : undefined;
}

/** Picks the first supported locale from an Accept-Language header; English otherwise. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  return declaredLocale(header) ?? 'en';
}

/**
 * The first supported locale an Accept-Language header names, or undefined when it names none
 * (no header, `*`, or only other languages): a choice the caller made, not a default.
 */
export function declaredLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter(({ q }) => q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return undefined;
}
