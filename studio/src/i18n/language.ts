// The UI languages, apart from i18n.ts (which sets i18next up as it loads): modules that only need
// the type (format.ts) stay free of that, and of the JSON it imports.

export type Language = 'en' | 'zh';
