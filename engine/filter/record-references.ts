// filter/record-references: `$record.<field>` in a lookup filter — a field of the record being
// edited. Pure (no imports): the studio's form reads the same references to know which of its
// values narrow a picker.

/** `$record.<field>`, the field's name captured. */
export const recordReference = /^\$record\.([A-Za-z][A-Za-z0-9_]*)$/;

/** The fields of the edited record a lookup filter reads through `$record.x`. */
export function recordFieldsRead(filter: unknown): string[] {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      const name = recordReference.exec(node)?.[1];
      if (name !== undefined) found.add(name);
    } else if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(filter);
  return [...found];
}
