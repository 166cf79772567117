// Where a rich text is shown as one line (a list's cell, a card): which of an entity's fields a form
// lays out as rich text, and a Markdown text's words without its marks ("**Monday**" reads "Monday").

import { marked, type Token } from 'marked';
import type { FormDef } from '../../api/meta.ts';

/** The entity's fields some form of it lays out as rich text: their values are Markdown. */
export function richTextFields(entity: string, forms: ReadonlyMap<string, FormDef> | undefined): ReadonlySet<string> {
  const names = new Set<string>();
  for (const form of forms?.values() ?? []) {
    if (form.entity !== entity) continue;
    for (const section of Object.values(form.sections)) {
      for (const [name, field] of Object.entries(section.fields ?? {})) if (field.widget === 'richText') names.add(name);
    }
  }
  return names;
}

/** The words of a Markdown text on one line: each block's text, a space between; HTML it holds left out. */
export function markdownText(markdown: string): string {
  const words: string[] = [];
  const walk = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if (token.type === 'html' || token.type === 'space' || token.type === 'hr') continue;
      const inner = 'tokens' in token && Array.isArray(token.tokens) ? token.tokens : 'items' in token && Array.isArray(token.items) ? token.items : undefined;
      if (inner) walk(inner as Token[]);
      else if (token.type === 'br') words.push(' ');
      else if ('text' in token && typeof token.text === 'string') words.push(token.text);
      if (isBlock(token)) words.push(' ');
    }
  };
  walk(marked.lexer(markdown, { breaks: true }));
  return words.join('').replace(/\s+/g, ' ').trim();
}

const blockTypes = new Set(['paragraph', 'heading', 'list_item', 'blockquote', 'code', 'table']);
const isBlock = (token: Token) => blockTypes.has(token.type);

