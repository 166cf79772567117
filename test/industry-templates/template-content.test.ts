// The three bundled industry templates as documents: everything passes the metadata schemas and
// the cross checks over HTTP (each template alone, each module with only the modules it needs,
// and wholesale + services merged as installed side by side), the installer's dry run accepts
// them, and content checks the schemas cannot express: bilingual text everywhere, forms and
// views that name real fields, a default form and view per entity, list and kanban views, one
// interaction entity with every channel, shared items that never conflict, roles covering every
// entity, committed sample files that are the generator's output, and no industry word in engine/.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExpression } from '../../engine/expressions/compile-expression.ts';
import { findContributionConflicts } from '../../engine/metadata/merge-contributions.ts';
import { generateSampleData } from '../../industry-templates/tools/generate-sample-data.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Doc, documentsOf, expectStatus, orderedModules, readTemplate, sampleRecords, type Template, templateNames, templatesDir, withDependencies } from './support.ts';

const templates = Object.fromEntries(templateNames.map((name) => [name, readTemplate(name)])) as Record<(typeof templateNames)[number], Template>;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.close());

async function expectValid(documents: Doc[]): Promise<void> {
  const res = await server.post('/api/meta/validate', documents);
  expectStatus(res, 200);
  expect(res.body.issues, JSON.stringify(res.body.issues.slice(0, 20), null, 1)).toEqual([]);
  expect(res.body.valid).toBe(true);
  expect(res.body.changes).toHaveLength(documents.length);
}

describe.each(templateNames)('%s: documents pass the schemas and the cross checks', (name) => {
  const template = templates[name];

  it('every document of the template, as one candidate set (POST /api/meta/validate)', async () => {
    await expectValid(documentsOf([{ template }]));
  });

  it.each(orderedModules(template))('module %s with only the modules it needs: switched on one at a time, it stands alone', async (module) => {
    await expectValid(documentsOf([{ template, modules: withDependencies(template, [module]) }]));
  });

  it('the installer reads the package and its dry run with every module finds nothing to refuse', async () => {
    const res = await server.post(`/api/templates/${name}/install?dryRun=1`, { modules: orderedModules(template) });
    expectStatus(res, 200);
    expect(res.body).toMatchObject({ dryRun: true, applied: false, issues: [] });
    expect(res.body.items).toHaveLength(template.items.size);
  });

  it('lists the template with its version and modules', async () => {
    const res = await server.get('/api/templates');
    expectStatus(res, 200);
    const listed = res.body.templates.find((t: { name: string }) => t.name === name);
    expect(listed.available.map((a: { version: string }) => a.version)).toContain(template.manifest.version);
    expect(listed.modules.map((m: { name: string }) => m.name)).toEqual(orderedModules(template));
  });
});

describe('wholesale and services side by side', () => {
  it('their documents, shared items merged as the installer merges them, are valid together', async () => {
    await expectValid(documentsOf([{ template: templates.wholesale }, { template: templates.services }]));
    await expectValid(documentsOf([{ template: templates.services }, { template: templates.wholesale }]));
  });

  it('share the same items (account, contact, interaction and their main form and list), and no shared pointer holds two values', () => {
    const shares = (t: Template) => Object.entries(t.manifest.shares ?? {}).flatMap(([kind, items]) => Object.keys(items).map((n) => `${kind}/${n}`)).sort();
    expect(shares(templates.wholesale)).toEqual(shares(templates.services));
    expect(shares(templates.wholesale)).toEqual(expect.arrayContaining(['entity/account', 'entity/contact', 'entity/interaction']));
    const both = [...templates.wholesale.items.keys()].filter((k) => templates.services.items.has(k));
    expect(both.sort()).toEqual(shares(templates.wholesale));
    for (const key of both) {
      expect(findContributionConflicts(templates.wholesale.items.get(key), templates.services.items.get(key)), key).toEqual([]);
      expect(findContributionConflicts(templates.services.items.get(key), templates.wholesale.items.get(key)), key).toEqual([]);
    }
  });

  it('the services roles see none of the trading fields wholesale adds to the shared account', () => {
    const wholesaleOnly = Object.keys(templates.wholesale.items.get('entity/account')!['fields']).filter((f) => !(f in templates.services.items.get('entity/account')!['fields']));
    for (const [key, role] of templates.services.items) {
      if (!key.startsWith('role/') || !role['permissions']?.account) continue;
      expect(role['permissions'].account.defaultFieldAccess, key).toBe('hidden');
      for (const field of wholesaleOnly) expect(role['permissions'].account.fields?.[field], `${key} ${field}`).toBeUndefined();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Content checks on the documents themselves.

const localizedKeys = new Set(['label', 'pluralLabel', 'description', 'title', 'message', 'guardMessage', 'confirm', 'subject', 'body', 'help', 'placeholder', 'purpose', 'note']);

/** Pointers of text shown to people that is not given in both English and Chinese. */
function monolingual(value: unknown, at = '', parentKey = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => monolingual(v, `${at}/${i}`, parentKey));
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const here = `${at}/${key}`;
    const isText = localizedKeys.has(key) && parentKey !== 'values' && parentKey !== 'fields' && parentKey !== 'columns' && parentKey !== 'sections';
    if (isText && typeof child === 'string') out.push(here);
    else if (isText && child && typeof child === 'object' && Object.keys(child).every((k) => k === 'en' || k === 'zh')) {
      const text = child as { en?: string; zh?: string };
      if (!text.en?.trim() || !text.zh?.trim()) out.push(here);
    } else out.push(...monolingual(child, here, key));
  }
  return out;
}

type Fields = Record<string, { type: string; to?: string; op?: string; returns?: string; field?: string; from?: string; via?: string; options?: Record<string, unknown> }>;
const systemFields = new Set(['id', 'version', 'revision', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy', 'owner']);
const addressParts = new Set(['street', 'city', 'region', 'postalCode', 'country']);

/** Resolves a field path (`account.name`, `address.city`) against the documents; the last field or an error. */
function resolvePath(entities: Map<string, Doc>, entity: string, pathText: string): { type: string; definition?: Fields[string] } | string {
  let current = entities.get(entity);
  const segments = pathText.split('.');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!current) return `${pathText}: no entity on the way`;
    if (systemFields.has(segment) && i === segments.length - 1) return { type: 'system' };
    const field = (current['fields'] as Fields)[segment];
    if (!field) return `${pathText}: "${segment}" is not a field of ${current.name}`;
    if (i === segments.length - 1) return { type: field.type, definition: field };
    if (field.type === 'address') return i === segments.length - 2 && addressParts.has(segments[i + 1]!) ? { type: 'text' } : `${pathText}: not an address part`;
    if (field.type === 'consent') return i === segments.length - 2 && ['givenAt', 'withdrawnAt', 'source'].includes(segments[i + 1]!) ? { type: 'datetime' } : `${pathText}: not a consent part`;
    if (field.type !== 'lookup') return `${pathText}: "${segment}" is neither a lookup nor a composite`;
    current = entities.get(field.to!);
  }
  return `${pathText}: empty`;
}

const widgetTypes: Record<string, string[]> = {
  input: ['text', 'email', 'phone', 'url', 'integer', 'number', 'currency', 'percent', 'autonumber', 'formula', 'rollup'],
  textarea: ['textarea', 'text'], richText: ['textarea'], select: ['picklist'], radio: ['picklist', 'integer'], checkboxes: ['multipicklist'], tags: ['multipicklist'],
  checkbox: ['boolean'], toggle: ['boolean'], stepper: ['integer', 'number'], slider: ['integer', 'number', 'percent'], date: ['date'], datetime: ['datetime'],
  lookup: ['lookup'], address: ['address'], consent: ['consent'],
};

function expressionProblems(source: string | undefined, fields: Fields, at: string): string[] {
  if (source === undefined) return [];
  const { expression, issues } = compileExpression(source, at);
  if (!expression) return issues.map((i) => `${at}: ${i.message}`);
  return [...expression.rootReferences].filter((r) => !(r in fields) && !systemFields.has(r)).map((r) => `${at}: unknown field ${r}`);
}

describe.each(templateNames)('%s: content', (name) => {
  const template = templates[name];
  const docs = [...template.items.values()];
  const ofKind = (kind: string) => docs.filter((d) => d.kind === kind);
  const entities = new Map(ofKind('entity').map((d) => [d.name, d]));

  it('title, description and every label, message, help and notification are in English and Chinese', () => {
    const problems = [...docs.flatMap((d) => monolingual(d, `${d.kind}/${d.name}`)), ...monolingual(template.manifest, 'template.json')];
    expect(problems).toEqual([]);
  });

  it('every field has a label, and every picklist option too', () => {
    const missing: string[] = [];
    for (const entity of entities.values()) {
      for (const [fieldName, field] of Object.entries(entity['fields'] as Record<string, any>)) {
        if (!field.label) missing.push(`${entity.name}.${fieldName}`);
        for (const [option, def] of Object.entries((field.options ?? {}) as Record<string, any>)) if (!def.label) missing.push(`${entity.name}.${fieldName}:${option}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every money field names its currency, a formula returning currency too (lists and dashboards write its sign)', () => {
    const unnamed: string[] = [];
    for (const entity of entities.values()) {
      for (const [fieldName, field] of Object.entries(entity['fields'] as Record<string, any>)) {
        const money = field.type === 'currency' || (field.type === 'formula' && field.returns === 'currency');
        if (money && !field.currency) unnamed.push(`${entity.name}.${fieldName}`);
      }
    }
    expect(unnamed).toEqual([]);
  });

  it('forms have sections, name real fields once, fit widgets to types, and their conditions read real fields', () => {
    const problems: string[] = [];
    for (const form of ofKind('form')) {
      const entity = entities.get(form['entity'])!;
      const fields = entity['fields'] as Fields;
      const seen = new Set<string>();
      expect(Object.keys(form['sections']).length, form.name).toBeGreaterThanOrEqual(1);
      for (const [sectionName, section] of Object.entries(form['sections'] as Record<string, any>)) {
        problems.push(...expressionProblems(section.visibleWhen, fields, `${form.name}/${sectionName}/visibleWhen`));
        if (section.related) {
          const child = entities.get(section.related.entity);
          const via = (child?.['fields'] as Fields | undefined)?.[section.related.via];
          if (!via || via.type !== 'lookup' || via.to !== entity.name) problems.push(`${form.name}/${sectionName}: related ${section.related.entity}.${section.related.via} does not point here`);
          const view = template.items.get(`view/${section.related.view}`);
          if (section.related.view && view?.['entity'] !== section.related.entity) problems.push(`${form.name}/${sectionName}: view ${section.related.view} is not a view of ${section.related.entity}`);
          continue;
        }
        for (const [fieldName, def] of Object.entries(section.fields as Record<string, any>)) {
          const field = fields[fieldName];
          if (!field) {
            problems.push(`${form.name}/${sectionName}: ${fieldName} is not a field of ${entity.name}`);
            continue;
          }
          if (seen.has(fieldName)) problems.push(`${form.name}: ${fieldName} appears twice`);
          seen.add(fieldName);
          if (def.widget && !widgetTypes[def.widget]!.includes(field.type)) problems.push(`${form.name}/${sectionName}/${fieldName}: widget ${def.widget} does not fit a ${field.type}`);
          for (const key of ['visibleWhen', 'requiredWhen', 'readOnlyWhen']) problems.push(...expressionProblems(def[key], fields, `${form.name}/${sectionName}/${fieldName}/${key}`));
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('some form shows a field only under a condition (conditional visibility) in every template', () => {
    const conditional = ofKind('form').filter((f) => JSON.stringify(f['sections']).includes('"visibleWhen"'));
    expect(conditional.length).toBeGreaterThanOrEqual(3);
  });

  it('views name real paths in columns, filters, sorts and cards; kanbans group by a picklist; sums are numbers', () => {
    const problems: string[] = [];
    const filterKeys = (filter: any): string[] =>
      Object.entries(filter ?? {}).flatMap(([k, v]) => (k.startsWith('$') ? (v as any[]).flatMap(filterKeys) : [k]));
    for (const view of ofKind('view')) {
      const entity = view['entity'];
      const check = (p: string, what: string) => {
        const resolved = resolvePath(entities, entity, p);
        if (typeof resolved === 'string') problems.push(`${view.name} ${what}: ${resolved}`);
        return resolved;
      };
      for (const column of Object.keys(view['columns'] ?? {})) check(column, 'column');
      for (const key of filterKeys(view['filter'])) check(key, 'filter');
      for (const key of String(view['sort'] ?? '').split(',').filter(Boolean)) {
        const resolved = check(key.replace(/^[-+]/, ''), 'sort');
        if (typeof resolved !== 'string' && (resolved.type === 'multipicklist' || (resolved.type === 'rollup' && ['min', 'max'].includes(resolved.definition?.op ?? '')))) problems.push(`${view.name}: cannot sort on ${key}`);
      }
      if (view['type'] === 'kanban') {
        const group = check(view['kanban'].groupBy, 'groupBy');
        if (typeof group !== 'string' && group.type !== 'picklist') problems.push(`${view.name}: kanban groups by a ${group.type}`);
        for (const card of view['kanban'].cardFields ?? []) check(card, 'card');
        if (view['kanban'].sumField) {
          const sum = check(view['kanban'].sumField, 'sum');
          if (typeof sum !== 'string' && !['integer', 'number', 'currency'].includes(sum.type) && !(sum.type === 'formula' && ['integer', 'number', 'currency'].includes(sum.definition?.returns ?? ''))) problems.push(`${view.name}: sums a ${sum.type}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every entity opens with exactly one default form and one default view', () => {
    for (const entity of entities.keys()) {
      expect(ofKind('form').filter((f) => f['entity'] === entity && f['default']).length, `form of ${entity}`).toBe(1);
      expect(ofKind('view').filter((v) => v['entity'] === entity && v['default']).length, `view of ${entity}`).toBe(1);
    }
  });

  it('has list and kanban views, and a kanban over every workflow that drives a state', () => {
    expect(ofKind('view').some((v) => v['type'] === 'list')).toBe(true);
    for (const workflow of ofKind('workflow').filter((w) => w['field'])) {
      expect(ofKind('view').some((v) => v['type'] === 'kanban' && v['entity'] === workflow['entity'] && v['kanban'].groupBy === workflow['field']), `kanban for ${workflow.name}`).toBe(true);
    }
  });

  it('has workflows with states, approvals, and scheduled or time-based triggers', () => {
    const workflows = ofKind('workflow');
    expect(workflows.filter((w) => w['states']).length).toBeGreaterThanOrEqual(2);
    expect(workflows.some((w) => Object.values(w['transitions'] ?? {}).some((t: any) => t.approval))).toBe(true);
    const triggerKinds = new Set(workflows.flatMap((w) => Object.values(w['triggers'] ?? {}).map((t: any) => t.on)));
    expect(triggerKinds.has('schedule') || triggerKinds.has('inState')).toBe(true);
  });

  it('one interaction entity takes every channel, so that every contact lands in one timeline', () => {
    const interaction = entities.get('interaction')!;
    expect(Object.keys(interaction['fields'].channel.options)).toEqual(['phone', 'email', 'webForm', 'visit', 'chat', 'wechat']);
    expect(ofKind('view').some((v) => v['entity'] === 'interaction' && v['sort'] === '-occurredAt')).toBe(true);
  });

  it('every entity is granted to some role, and every role grant names entities of the template', () => {
    const roles = ofKind('role');
    expect(roles.length).toBeGreaterThanOrEqual(3);
    const granted = new Set(roles.flatMap((r) => Object.keys(r['permissions'] ?? {})));
    expect([...entities.keys()].filter((e) => !granted.has(e))).toEqual([]);
    expect([...granted].filter((e) => !entities.has(e))).toEqual([]);
  });

  it('modules: every item in exactly one module, customers first and on by default, the rest switched on later', () => {
    const listed = [...template.moduleItems.values()].flat();
    expect(listed.sort()).toEqual([...template.items.keys()].sort());
    expect(new Set(listed).size).toBe(listed.length);
    const [first, ...rest] = orderedModules(template);
    expect(template.manifest.modules[first!]!.enabledByDefault).toBe(true);
    expect(template.manifest.modules[first!]!.items['entity']).toContain('interaction');
    for (const module of rest) expect(template.manifest.modules[module]!.dependsOn?.length, module).toBeGreaterThan(0);
    expect(template.manifest).toHaveProperty('dashboards');
  });

  it('sample data: a file per entity of the template, counts as the manifest says, stable ids, lookups to sample records of the same module or the modules it needs', () => {
    const ids = new Map<string, string>();
    for (const entity of Object.keys(template.manifest.sampleData)) {
      expect(entities.has(entity), entity).toBe(true);
      const records = sampleRecords(template, entity);
      expect(records.length, entity).toBe(template.manifest.sampleData[entity]!.count);
      for (const record of records) ids.set(String(record['id']), entity);
    }
    expect([...entities.keys()].filter((e) => !(e in template.manifest.sampleData))).toEqual([]);
    const moduleOfEntity = new Map([...template.moduleItems].flatMap(([module, keys]) => keys.filter((k) => k.startsWith('entity/')).map((k) => [k.slice(7), module])));
    const dangling: string[] = [];
    for (const entity of Object.keys(template.manifest.sampleData)) {
      const fields = entities.get(entity)!['fields'] as Fields;
      const available = new Set(withDependencies(template, [moduleOfEntity.get(entity)!]));
      for (const record of sampleRecords(template, entity)) {
        for (const [field, value] of Object.entries(record)) {
          if (fields[field]?.type !== 'lookup') continue;
          const target = ids.get(String(value));
          if (target === undefined || target !== fields[field]!.to || !available.has(moduleOfEntity.get(target)!)) dangling.push(`${entity}/${String(record['id'])}.${field}`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe('sample data generator', () => {
  it('the committed sample files and manifest counts are exactly what tools/generate-sample-data.ts produces', () => {
    const generated = generateSampleData();
    expect(generated.size).toBeGreaterThan(30);
    const stale = [...generated].filter(([relative, text]) => readFileSync(path.join(templatesDir, relative), 'utf8') !== text).map(([relative]) => relative);
    expect(stale, 'run: npx tsx industry-templates/tools/generate-sample-data.ts').toEqual([]);
  });

  it('is deterministic: two runs give the same bytes', () => {
    const a = generateSampleData();
    const b = generateSampleData();
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [key, text] of a) expect(b.get(key) === text, key).toBe(true);
  });
});

describe('engine/ knows no industry', () => {
  it('git grep -i -w -E "retail|wholesale|opportunity|opportunities|loyalty|coupon" engine/ finds nothing', () => {
    const root = path.resolve(templatesDir, '..');
    let found = '';
    try {
      found = execFileSync('git', ['grep', '-i', '-w', '-E', 'retail|wholesale|opportunity|opportunities|loyalty|coupon', '--', 'engine/'], { cwd: root, encoding: 'utf8' });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== 1) throw error; // 1: nothing found
    }
    expect(found).toBe('');
  });
});
