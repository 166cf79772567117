// Suggests which column feeds which field: by field name or label (en, zh), compared loosely —
// case, spaces, underscores and dashes ignored ("Account Name", "account_name", "名称").

import type { CompiledEntity } from '../compile/compiled-model.ts';

const loose = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s_\-./]+/g, '');

export function suggestColumns(columns: readonly string[], entity: CompiledEntity): Record<string, string> {
  const suggested: Record<string, string> = {};
  const taken = new Set<string>();
  for (const field of entity.fields.values()) {
    if (field.type.compute !== 'none') continue;
    const label = (field.definition as { label?: string | Record<string, string> }).label;
    const names = [field.name, ...(typeof label === 'string' ? [label] : Object.values(label ?? {}))].map(loose);
    const column = columns.find((c) => !taken.has(c) && names.includes(loose(c)));
    if (column) {
      suggested[field.name] = column;
      taken.add(column);
    }
  }
  return suggested;
}
