// Subjects and bodies with `{{ expression }}` placeholders: each placeholder is JSONata over the
// record (bounded like every expression), rendered as text; a failing placeholder renders empty.

import { compileExpression } from './compile-expression.ts';
import { evaluateExpression } from './evaluate-expression.ts';
import type { IssueDetail } from '../kernel/errors.ts';
import type { Clock } from '../kernel/clock.ts';

const placeholder = /\{\{\s*([^}]{1,500}?)\s*\}\}/g;

/** The JSONata sources embedded in a template text. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(placeholder)].map((m) => m[1]!);
}

/** Issues of the embedded expressions (syntax, refused functions), located at `path`. */
export function checkTemplate(text: string, path: string): { issues: IssueDetail[]; references: Set<string> } {
  const issues: IssueDetail[] = [];
  const references = new Set<string>();
  for (const source of templateExpressions(text)) {
    const { expression, issues: found } = compileExpression(source, path);
    issues.push(...found);
    for (const ref of expression?.rootReferences ?? []) references.add(ref);
  }
  return { issues, references };
}

export async function renderTemplate(text: string, input: Record<string, unknown>, context: { clock: Clock; origin: string }): Promise<string> {
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    parts.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    const { expression } = compileExpression(match[1]!, context.origin);
    let value: unknown;
    try {
      value = expression ? await evaluateExpression(expression, input, context) : undefined;
    } catch {
      value = undefined;
    }
    parts.push(value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  parts.push(text.slice(last));
  return parts.join('');
}
