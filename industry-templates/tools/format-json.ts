// Formats JSON the way the template files are written: an object or array stays on one line when
// it fits within the width at its indentation, otherwise one member per line. Deterministic, so
// that generated files only change when their content does.

const width = 140;

function inline(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

function format(value: unknown, indent: string, prefixLength: number): string {
  const flat = inline(value);
  if (indent.length + prefixLength + flat.length <= width || value === null || typeof value !== 'object') return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => inner + format(item, inner, 0)).join(',\n')}\n${indent}]`;
  }
  const lines = Object.entries(value).map(([k, v]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + format(v, inner, key.length);
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** The text of a JSON file: formatted, with a final newline. */
export function formatJson(value: unknown): string {
  return `${format(value, '', 0)}\n`;
}

// `tsx industry-templates/tools/format-json.ts <files…>` rewrites files in this format.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  for (const file of process.argv.slice(2)) writeFileSync(file, formatJson(JSON.parse(readFileSync(file, 'utf8'))));
}
