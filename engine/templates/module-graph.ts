// Modules and their `dependsOn`: switching one on brings the ones it needs; switching one off is
// refused while a module that needs it is on. (Cycles are refused when the package is loaded.)

import { CrmError } from '../kernel/errors.ts';
import type { TemplateManifest } from '../metadata/generated/metadata.ts';
import { orderedModules } from './template-package.ts';

/** The modules and every module they need, in display order. */
export function withDependencies(manifest: TemplateManifest, modules: Iterable<string>): string[] {
  const on = new Set<string>();
  const add = (name: string) => {
    if (on.has(name) || !manifest.modules[name]) return;
    on.add(name);
    for (const needed of manifest.modules[name].dependsOn ?? []) add(needed);
  };
  for (const name of modules) add(name);
  return orderedModules(manifest).filter((m) => on.has(m));
}

/** Modules of `on` that need `module`, directly or through others. */
export function dependentsOf(manifest: TemplateManifest, module: string, on: readonly string[]): string[] {
  return on.filter((name) => name !== module && withDependencies(manifest, [name]).includes(module));
}

/** Modules a plain install switches on: those on by default (and what they need), else the first. */
export function defaultModules(manifest: TemplateManifest): string[] {
  const byDefault = Object.entries(manifest.modules).filter(([, m]) => m.enabledByDefault).map(([name]) => name);
  return withDependencies(manifest, byDefault.length > 0 ? byDefault : orderedModules(manifest).slice(0, 1));
}

export function assertKnownModules(manifest: TemplateManifest, modules: readonly string[]): void {
  const unknown = modules.filter((m) => !manifest.modules[m]);
  if (unknown.length > 0) {
    throw new CrmError('BAD_REQUEST', { en: `Template ${manifest.name} has no module ${unknown.join(', ')}`, zh: `模板 ${manifest.name} 没有模块 ${unknown.join(', ')}` }, unknown.map((m) => ({ path: '/modules', message: `"${m}" is not a module of ${manifest.name} (modules: ${orderedModules(manifest).join(', ')})` })));
  }
}
