// A feature may keep its strings beside it, in `<name>.i18n.json` = { "en": {...}, "zh": {...} }, under
// its own top-level key: parallel features then never edit the same file. They are merged here, in
// a module the signed-in frame (and the public web form) imports: the sign-in page's scripts stay
// without them (~54 KB of designer and admin strings in two languages).

import i18next from 'i18next';
import { languages } from './i18n.ts';

type FeatureStrings = { en?: Record<string, unknown>; zh?: Record<string, unknown> };
const featureFiles = import.meta.glob<FeatureStrings>('../**/*.i18n.json', { eager: true, import: 'default' });

for (const strings of Object.values(featureFiles)) {
  // Not deep: a file's top-level keys replace what is there, as one object per feature.
  for (const language of languages) i18next.addResourceBundle(language, 'translation', strings[language] ?? {}, false, true);
}
