// A section's rjsf schemas under the form logic's current state, rebuilt only when what this
// section shows changes (a field of its own hidden, required or read-only) — not on every key.

import { useMemo } from 'react';
import type { Language } from '../i18n/i18n.ts';
import type { LogicState } from './form-logic.ts';
import { sectionSchemas, type SectionModel, type SectionSchemas } from './form-model.ts';

export function useSectionSchemas(section: SectionModel, state: LogicState | undefined, args: { language: Language; readOnly: boolean; creating?: boolean }): SectionSchemas {
  const { language, readOnly, creating = false } = args;
  const keyOf = (set: ReadonlySet<string> | undefined) => section.fields.filter((f) => set?.has(f.name)).map((f) => f.name).join(',');
  const hiddenKey = keyOf(state?.hidden);
  const requiredKey = keyOf(state?.required);
  const readOnlyKey = keyOf(state?.readOnly);
  return useMemo(
    () => sectionSchemas(section, { language, readOnly, hidden: new Set(hiddenKey.split(',')), required: new Set(requiredKey.split(',')), readOnlyFields: new Set(readOnlyKey.split(',')), creating }),
    [section, language, readOnly, hiddenKey, requiredKey, readOnlyKey, creating],
  );
}
