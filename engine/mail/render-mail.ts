// A mail template in the recipient's language: subject and body as bilingual text ({ en, zh })
// with `{{ JSONata }}` placeholders over the given input (engine/expressions/render-template.ts).
// Workflow notifications render through it; so can any module that e-mails (scheduled reports).

import type { Clock } from '../kernel/clock.ts';
import { localize, type Locale, type LocalizedText } from '../kernel/i18n.ts';
import { renderTemplate } from '../expressions/render-template.ts';

export interface MailTemplate {
  subject: LocalizedText;
  body?: LocalizedText;
}

/** Subject and text for one recipient; the subject stands for the text when there is no body. */
export async function renderMail(template: MailTemplate, args: { locale: Locale; input: Record<string, unknown>; clock: Clock; origin: string }): Promise<{ subject: string; text: string; hasBody: boolean }> {
  const context = { clock: args.clock, origin: `${args.origin}/subject` };
  const subject = await renderTemplate(localize(template.subject, args.locale), args.input, context);
  if (template.body === undefined) return { subject, text: subject, hasBody: false };
  const text = await renderTemplate(localize(template.body, args.locale), args.input, { clock: args.clock, origin: `${args.origin}/body` });
  return { subject, text, hasBody: true };
}
