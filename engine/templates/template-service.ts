// The template lifecycle verbs — list, install, upgrade, switch a module, uninstall — shared by
// the HTTP routes and the CLI. Each verb works out the state it wants and hands it to runStep;
// real steps run one at a time in this process, and the store refuses a step whose starting
// point moved meanwhile (another process on the same data folder).

import semver from 'semver';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../kernel/ids.ts';
import { engineVersion } from '../kernel/engine-version.ts';
import type { Clock } from '../kernel/clock.ts';
import { CrmError } from '../kernel/errors.ts';
import type { LocalizedText } from '../kernel/i18n.ts';
import type { TemplateManifest } from '../metadata/generated/metadata.ts';
import type { ModelRuntime } from '../runtime/model-runtime.ts';
import { AsyncMutex } from '../store/async-mutex.ts';
import type { Store } from '../store/store-port.ts';
import { loadInstalledTemplates, type InstalledTemplate, type StoredTemplate } from './installed-templates.ts';
import { assertKnownModules, defaultModules, dependentsOf, withDependencies } from './module-graph.ts';
import { runStep, type StepReport } from './run-step.ts';
import { itemsOfModules, orderedModules, type TemplatePackage } from './template-package.ts';
import { bundledRoots, discoverBundled, openSource, type OpenedSource, type SourceRequest } from './template-sources.ts';
import { extractTemplateArchive } from './extract-archive.ts';
import { loadTemplatePackage } from './load-template.ts';
import type { Settings } from '../settings/settings.ts';


export interface TemplateServiceDeps {
  store: Store;
  runtime: ModelRuntime;
  clock: Clock;
  settings: Pick<Settings, 'templateDirs'>;
  /** Where uploaded template packages are kept (each unpacked in its own folder); none: uploads are refused. */
  uploadsDir?: string;
}

/** The largest template archive an admin may upload. */
export const maxUploadBytes = 50 * 1024 * 1024;

export interface ModuleListing {
  name: string;
  label: LocalizedText;
  description?: LocalizedText;
  order: number;
  dependsOn: string[];
  enabledByDefault: boolean;
  on: boolean;
  items: Record<string, string[]>;
}

export interface TemplateListing {
  name: string;
  title: LocalizedText;
  description?: LocalizedText;
  /** Versions at hand, highest first: bundled with the server, or uploaded by an admin (install those with `source: { directory }`). */
  available: { version: string; directory: string; origin: 'bundled' | 'uploaded' }[];
  installed?: { version: string; installedAt: string; updatedAt: string; source: InstalledTemplate['source']; order: number; sampleData: InstalledTemplate['sampleData']; droppedOverlays: number };
  upgradeTo?: string;
  /** The installed version's modules, else the newest available version's. */
  modules: ModuleListing[];
}

function moduleListing(manifest: TemplateManifest, on: readonly string[]): ModuleListing[] {
  return orderedModules(manifest).map((name) => {
    const m = manifest.modules[name]!;
    return {
      name, label: m.label, ...(m.description ? { description: m.description } : {}), order: m.order ?? 0, dependsOn: m.dependsOn ?? [],
      enabledByDefault: m.enabledByDefault ?? false, on: on.includes(name), items: m.items as Record<string, string[]>,
    };
  });
}

export class TemplateService {
  private readonly mutex = new AsyncMutex();

  constructor(private readonly deps: TemplateServiceDeps) {}

  private get roots(): string[] {
    return bundledRoots(this.deps.settings);
  }

  async list(): Promise<{ templates: TemplateListing[]; unreadable: { directory: string; error: string }[] }> {
    const [bundled, uploaded, installed] = await Promise.all([
      discoverBundled(this.roots), this.deps.uploadsDir ? discoverBundled([this.deps.uploadsDir]) : { available: [], unreadable: [] }, loadInstalledTemplates(this.deps.store),
    ]);
    const available = [...bundled.available.map((a) => ({ ...a, origin: 'bundled' as const })), ...uploaded.available.map((a) => ({ ...a, origin: 'uploaded' as const }))];
    const unreadable = [...bundled.unreadable, ...uploaded.unreadable];
    const names = [...new Set([...available.map((a) => a.manifest.name), ...installed.map((i) => i.state.name)])].sort();
    const templates = names.map((name): TemplateListing => {
      const versions = available.filter((a) => a.manifest.name === name).sort((a, b) => semver.rcompare(a.manifest.version, b.manifest.version) || a.origin.localeCompare(b.origin));
      const state = installed.find((i) => i.state.name === name)?.state;
      const manifest = state?.manifest ?? versions[0]!.manifest;
      // The upgrade the server offers by itself: the newest bundled version.
      const newest = versions.find((v) => v.origin === 'bundled')?.manifest.version;
      return {
        name, title: manifest.title, ...(manifest.description ? { description: manifest.description } : {}),
        available: versions.map((v) => ({ version: v.manifest.version, directory: v.directory, origin: v.origin })),
        ...(state
          ? { installed: { version: state.version, installedAt: state.installedAt, updatedAt: state.updatedAt, source: state.source, order: state.order, sampleData: state.sampleData, droppedOverlays: state.droppedOverlays.length } }
          : {}),
        ...(state && newest && semver.gt(newest, state.version) ? { upgradeTo: newest } : {}),
        modules: moduleListing(manifest, state?.modulesOn ?? []),
      };
    });
    return { templates, unreadable };
  }

  /**
   * Keeps an uploaded template package (a .tgz; the studio packs an uploaded folder into one): the
   * archive is checked and unpacked, the package read and checked like any other, then kept in its
   * own folder under the uploads folder, where the listing finds it.
   */
  async upload(body: Readable): Promise<{ name: string; version: string; title: TemplateManifest['title']; directory: string; modules: ModuleListing[] }> {
    const uploads = this.deps.uploadsDir;
    if (!uploads) throw new CrmError('NOT_FOUND', { en: 'This server keeps no uploaded templates', zh: '此服务器不保存上传的模板' });
    await mkdir(uploads, { recursive: true });
    const id = newId();
    const archive = path.join(uploads, `.${id}.tgz`);
    let bytes = 0;
    body.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxUploadBytes) body.destroy(new CrmError('PAYLOAD_TOO_LARGE', { en: `A template archive holds at most ${maxUploadBytes / 1024 / 1024} MB`, zh: `模板压缩包不能超过 ${maxUploadBytes / 1024 / 1024} MB` }));
    });
    try {
      await pipeline(body, createWriteStream(archive));
      if (bytes === 0) throw new CrmError('BAD_REQUEST', undefined, [{ path: '', message: 'send the .tgz archive as the request body' }]);
      const extracted = await extractTemplateArchive(archive);
      try {
        const pkg = await loadTemplatePackage(extracted.directory);
        const { name, version } = pkg.manifest;
        const directory = path.join(uploads, `${name}-${version}-${id}`.replace(/[^A-Za-z0-9._-]/g, '_'));
        await cp(extracted.directory, directory, { recursive: true });
        return { name, version, title: pkg.manifest.title, directory, modules: moduleListing(pkg.manifest, []) };
      } finally {
        await extracted.remove();
      }
    } finally {
      await rm(archive, { force: true });
    }
  }

  /** One installed template's full state (404 when not installed). */
  async get(name: string): Promise<InstalledTemplate> {
    const stored = (await loadInstalledTemplates(this.deps.store)).find((s) => s.state.name === name);
    if (!stored) throw notInstalled(name);
    return stored.state;
  }

  async install(name: string, options: { dryRun?: boolean; sampleData?: boolean; modules?: string[]; source?: SourceRequest; version?: string; by: string }): Promise<StepReport> {
    return this.step(options.dryRun, async () => {
      const stored = await loadInstalledTemplates(this.deps.store);
      if (stored.some((s) => s.state.name === name)) throw new CrmError('CONFLICT', { en: `Template ${name} is installed already: upgrade it instead`, zh: `模板 ${name} 已安装，请改用升级` });
      return this.withSource(name, options, async ({ pkg, source }) => {
        const manifest = pkg.manifest;
        this.checkEngineAndDependencies(manifest, stored);
        if (options.modules) assertKnownModules(manifest, options.modules);
        const modulesOn = options.modules ? withDependencies(manifest, options.modules) : defaultModules(manifest);
        const now = this.deps.clock.now().toISOString();
        const next: InstalledTemplate = {
          name, version: manifest.version, manifest, items: Object.fromEntries(pkg.items), modulesOn,
          order: Math.max(0, ...stored.map((s) => s.state.order)) + 1, source, installedAt: now, updatedAt: now, sampleData: {}, droppedOverlays: [], history: [],
        };
        return runStep(this.deps, {
          action: 'install', name, by: options.by, dryRun: options.dryRun ?? false, stored, next, pkg, toVersion: manifest.version,
          ...(options.sampleData ? { sampleEntities: this.entitiesOf(pkg, modulesOn) } : {}),
        });
      });
    });
  }

  async upgrade(name: string, options: { dryRun?: boolean; sampleData?: boolean; source?: SourceRequest; version?: string; by: string }): Promise<StepReport> {
    return this.step(options.dryRun, async () => {
      const stored = await loadInstalledTemplates(this.deps.store);
      const current = stored.find((s) => s.state.name === name)?.state;
      if (!current) throw notInstalled(name);
      return this.withSource(name, options, async ({ pkg, source }) => {
        const manifest = pkg.manifest;
        if (!semver.gt(manifest.version, current.version)) {
          throw new CrmError('CONFLICT', { en: `Template ${name} is at ${current.version}; ${manifest.version} is not newer`, zh: `模板 ${name} 已是 ${current.version}，${manifest.version} 并不更新` });
        }
        this.checkEngineAndDependencies(manifest, stored.filter((s) => s.state.name !== name));
        for (const other of stored) {
          const range = other.state.manifest.dependencies?.[name];
          if (range && !semver.satisfies(manifest.version, range, { includePrerelease: true })) {
            throw new CrmError('CONFLICT', { en: `Template ${other.state.name} needs ${name} ${range}; ${manifest.version} does not fit`, zh: `模板 ${other.state.name} 需要 ${name} ${range}，${manifest.version} 不满足` });
          }
        }
        // Modules stay as they were; modules new in this version come on when on by default.
        const added = Object.keys(manifest.modules).filter((m) => !current.manifest.modules[m] && manifest.modules[m]!.enabledByDefault);
        const modulesOn = withDependencies(manifest, [...current.modulesOn.filter((m) => manifest.modules[m]), ...added]);
        const next: InstalledTemplate = { ...current, version: manifest.version, manifest, items: Object.fromEntries(pkg.items), modulesOn, source };
        return runStep(this.deps, {
          action: 'upgrade', name, by: options.by, dryRun: options.dryRun ?? false, stored, next, pkg, fromVersion: current.version, toVersion: manifest.version,
          ...(options.sampleData ? { sampleEntities: this.entitiesOf(pkg, modulesOn) } : {}),
        });
      });
    });
  }

  async setModule(name: string, module: string, options: { enabled: boolean; dryRun?: boolean; sampleData?: boolean; by: string }): Promise<StepReport> {
    return this.step(options.dryRun, async () => {
      const stored = await loadInstalledTemplates(this.deps.store);
      const current = stored.find((s) => s.state.name === name)?.state;
      if (!current) throw notInstalled(name);
      if (!current.manifest.modules[module]) throw new CrmError('NOT_FOUND', { en: `Template ${name} has no module ${module}`, zh: `模板 ${name} 没有模块 ${module}` });
      let modulesOn: string[];
      if (options.enabled) {
        modulesOn = withDependencies(current.manifest, [...current.modulesOn, module]);
      } else {
        const needing = dependentsOf(current.manifest, module, current.modulesOn);
        if (needing.length > 0) {
          throw new CrmError('CONFLICT', { en: `Module ${module} is needed by ${needing.join(', ')}: switch those off first`, zh: `模块 ${module} 被 ${needing.join('、')} 依赖，请先关闭它们` }, needing.map((m) => ({ path: `/modules/${m}`, message: `needs ${module}` })));
        }
        modulesOn = current.modulesOn.filter((m) => m !== module);
      }
      const next: InstalledTemplate = { ...current, modulesOn };
      const base = { action: options.enabled ? ('enableModule' as const) : ('disableModule' as const), name, module, by: options.by, dryRun: options.dryRun ?? false, stored, next };
      if (!options.enabled || !options.sampleData) return runStep(this.deps, base);
      // Sample data of the modules switched on now, read from where the template came from.
      const fresh = modulesOn.filter((m) => !current.modulesOn.includes(m));
      return this.withSource(name, { source: current.source.type === 'bundled' ? undefined : { [current.source.type]: current.source.path }, version: current.version }, ({ pkg }) =>
        runStep(this.deps, { ...base, pkg, sampleEntities: this.entitiesOf(pkg, fresh) }),
      );
    });
  }

  async uninstall(name: string, options: { dryRun?: boolean; deleteData?: boolean; by: string }): Promise<StepReport> {
    return this.step(options.dryRun, async () => {
      const stored = await loadInstalledTemplates(this.deps.store);
      const current = stored.find((s) => s.state.name === name)?.state;
      if (!current) throw notInstalled(name);
      const dependents = stored.filter((s) => s.state.manifest.dependencies?.[name] !== undefined).map((s) => s.state.name);
      if (dependents.length > 0) {
        throw new CrmError('CONFLICT', { en: `Templates ${dependents.join(', ')} depend on ${name}: uninstall them first`, zh: `模板 ${dependents.join('、')} 依赖 ${name}，请先卸载它们` });
      }
      return runStep(this.deps, { action: 'uninstall', name, by: options.by, dryRun: options.dryRun ?? false, stored, next: undefined, fromVersion: current.version, deleteData: options.deleteData ?? false });
    });
  }

  /** Real steps run one at a time; dry runs need no turn. */
  private step<T>(dryRun: boolean | undefined, work: () => Promise<T>): Promise<T> {
    return dryRun ? work() : this.mutex.run(work);
  }

  private async withSource<T>(name: string, options: { source?: SourceRequest | undefined; version?: string | undefined }, work: (opened: OpenedSource) => Promise<T>): Promise<T> {
    const opened = await openSource({ roots: this.roots, name, ...(options.source ? { request: options.source } : {}), ...(options.version ? { version: options.version } : {}) });
    try {
      return await work(opened);
    } finally {
      await opened.close();
    }
  }

  private entitiesOf(pkg: TemplatePackage, modules: readonly string[]): string[] {
    const entities = itemsOfModules(pkg.manifest, modules).filter((k) => k.startsWith('entity/')).map((k) => k.slice('entity/'.length));
    // Sample data may also fill entities of a dependency the template relies on.
    return Object.keys(pkg.manifest.sampleData ?? {}).filter((e) => entities.includes(e) || !pkg.moduleOf.has(`entity/${e}`));
  }

  private checkEngineAndDependencies(manifest: TemplateManifest, installed: StoredTemplate[]): void {
    if (manifest.engine && !semver.satisfies(engineVersion, manifest.engine, { includePrerelease: true })) {
      throw new CrmError('CONFLICT', { en: `Template ${manifest.name} needs engine ${manifest.engine}; this is ${engineVersion}`, zh: `模板 ${manifest.name} 需要引擎 ${manifest.engine}，当前为 ${engineVersion}` });
    }
    const missing = Object.entries(manifest.dependencies ?? {}).filter(([dep, range]) => {
      const state = installed.find((s) => s.state.name === dep)?.state;
      return !state || !semver.satisfies(state.version, range, { includePrerelease: true });
    });
    if (missing.length > 0) {
      throw new CrmError('CONFLICT', { en: `Template ${manifest.name} needs ${missing.map(([d, r]) => `${d} ${r}`).join(', ')} installed first`, zh: `模板 ${manifest.name} 需要先安装 ${missing.map(([d, r]) => `${d} ${r}`).join('、')}` }, missing.map(([dep, range]) => ({ path: `/dependencies/${dep}`, message: `needs ${dep} ${range} installed` })));
    }
  }
}

function notInstalled(name: string): CrmError {
  return new CrmError('NOT_FOUND', { en: `Template ${name} is not installed`, zh: `模板 ${name} 未安装` });
}
