// The dashboard a caller lands on after sign-in: the first of their roles that names its own
// (`homeDashboard` in role metadata, else the role's entry in an installed template's
// `dashboards.byRole`), else the `dashboards.home` of the first installed template that names one.
// Only a dashboard the caller may read counts (one with at least one widget over what they read);
// one they may not read, or whose module is off, is passed over for the next choice.

import type { InstalledTemplate } from '../templates/installed-templates.ts';
import type { RequestContext } from '../records/request-context.ts';

export function findHomeDashboard(args: { ctx: RequestContext; templates: readonly InstalledTemplate[]; readable: (dashboard: string) => boolean }): string | undefined {
  const { ctx, templates, readable } = args;
  const fits = (name: unknown): name is string => typeof name === 'string' && readable(name);
  for (const role of ctx.principal.roles) {
    const own = ctx.model.set.get('role', role)?.['homeDashboard'];
    if (fits(own)) return own;
    const byTemplate = templates.map((t) => t.manifest.dashboards?.byRole?.[role]).find(fits);
    if (byTemplate !== undefined) return byTemplate;
  }
  return templates.map((t) => t.manifest.dashboards?.home).find(fits);
}
