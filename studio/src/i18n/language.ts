// The UI languages, apart from i18n.ts (which sets i18next up as it loads): modules that only need
// the types (format.ts, the workflow designer's model) stay free of that, and of the JSON it imports.

export type Language = 'en' | 'zh';

/** A metadata label: a plain string, or one per language. */
export type Label = string | Partial<Record<string, string>> | undefined;

/** A label in `language` (else English, else any), or `fallback` when there is none. */
export function localize(label: Label, language: Language, fallback = ''): string {
  if (label === undefined || label === null) return fallback;
  if (typeof label === 'string') return label;
  return label[language] ?? label['en'] ?? Object.values(label)[0] ?? fallback;
}
