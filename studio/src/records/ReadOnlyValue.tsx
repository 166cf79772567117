// A read-only field's value as text, written as lists write it (format-value.tsx): a number with its
// digits grouped and its field's scale, a currency with its unit, a percent with its sign — not a
// disabled input holding the bare digits. An <output>: the field's <label for> names it, so a screen
// reader reads the label with the value; not a live region (the value changes with the record, it
// is no status to announce).

import { ariaDescribedByIds } from '@rjsf/utils';
import type { FieldDef } from '../api/meta.ts';
import { useLanguage } from '../app/use-language.ts';
import { valueText } from './format-value.tsx';

const style = { display: 'block', padding: '4px 0', minHeight: 32 } as const;

/** `empty`: what an empty value reads as (a new record's "Set when created"); a dash otherwise. */
export function ReadOnlyValue({ id, field, value, empty }: { id: string; field: FieldDef; value: unknown; empty?: string | undefined }) {
  const { language } = useLanguage();
  const text = valueText(field, value, language);
  return (
    <output id={id} aria-live="off" aria-describedby={ariaDescribedByIds(id)} data-read-only-value style={style}>
      {text || empty || '—'}
    </output>
  );
}
