// Every text a user reads in a bundled template, found through the metadata language's own schemas
// (schemas/*.schema.json) rather than a list of property names: wherever a schema says
// `localizedText` — entity, field and option labels, forms, views and columns, workflow states,
// transitions, triggers, actions and approval steps, dashboards and widgets, roles, modules — the
// template's value must carry both English and Chinese. A label whose absence shows an internal
// name instead (an action's, a duplicate rule's, a widget's title) must be there; only the labels
// that fall back to another label (a form field's, a view column's) or to nothing may be left out.
// And a form is titled as its entity is labelled, in both languages.

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { templatesDir } from './support.ts';

const schemasDir = path.resolve(templatesDir, '../schemas');
const idBase = 'https://crm-engine.dev/schemas/';
const localizedTextUri = `${idBase}common.schema.json#/$defs/localizedText`;

type Schema = Record<string, any>;
type Doc = { kind: string; name: string; [key: string]: any };

const schemaFiles = new Map<string, Schema>();
const ajv = new Ajv2020({ strict: false, discriminator: true, allowUnionTypes: true });
addFormats.default(ajv);
for (const file of readdirSync(schemasDir).filter((f) => f.endsWith('.schema.json'))) {
  const schema = JSON.parse(readFileSync(path.join(schemasDir, file), 'utf8')) as Schema;
  schemaFiles.set(schema['$id'], schema);
  ajv.addSchema(schema);
}

/** A schema node by its absolute URI (`…/field.schema.json#/$defs/picklist`). */
function schemaAt(uri: string): Schema {
  const [file, pointer = ''] = uri.split('#');
  let node: any = schemaFiles.get(file!);
  for (const segment of pointer.split('/').slice(1)) node = node?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (node === undefined) throw new Error(`no schema at ${uri}`);
  return node as Schema;
}

const validators = new Map<string, ValidateFunction>();
/** Whether an instance satisfies the schema node at a URI (to pick oneOf branches and if/then). */
function satisfies(uri: string, instance: unknown): boolean {
  let validate = validators.get(uri);
  if (!validate) validators.set(uri, (validate = ajv.compile({ $ref: uri })));
  return validate(instance) as boolean;
}

const join = (uri: string, ...segments: (string | number)[]) => `${uri}${segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
function resolveRef(ref: string, uri: string): string {
  const target = ref.startsWith('#') ? `${uri.split('#')[0]}${ref}` : new URL(ref, uri).href;
  return target.includes('#') ? target : `${target}#`;
}

/** Labels that name their thing; when left out, a fallback other than another label shows (the item's internal name). */
const namingKeys = new Set(['label', 'pluralLabel', 'title']);
/** Optional by design: the schema says what shows instead, and it is another label or nothing. */
const fallsBackToText = (description: string | undefined) => /label when omitted|no heading when omitted|^Overrides/.test(description ?? '');

/** Problems with a localized text at `at`: a plain string, or en / zh missing or blank. */
function checkText(value: unknown, at: string): string[] {
  if (typeof value === 'string') return [`${at}: one text for every language (${JSON.stringify(value)})`];
  const text = value as Record<string, unknown>;
  return ['en', 'zh'].filter((l) => typeof text[l] !== 'string' || !(text[l] as string).trim()).map((l) => `${at}: no ${l}`);
}

/** Walks an instance alongside the schema node at `uri`, collecting label problems. */
function walk(uri: string, instance: unknown, at: string, out: string[], seen?: string[]): void {
  if (uri === localizedTextUri) {
    seen?.push(at);
    out.push(...checkText(instance, at));
    return;
  }
  const schema = schemaAt(uri);
  if (typeof schema !== 'object') return;
  if (typeof schema['$ref'] === 'string') walk(resolveRef(schema['$ref'], uri), instance, at, out, seen);
  for (const [i] of (schema['allOf'] ?? []).entries()) walk(join(uri, 'allOf', i), instance, at, out, seen);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const branches = (schema[key] ?? []).map((_: unknown, i: number) => join(uri, key, i)) as string[];
    if (branches.length === 0) continue;
    const discriminator = schema['discriminator']?.propertyName as string | undefined;
    const picked = discriminator && instance && typeof instance === 'object'
      ? branches.filter((b) => {
          const branch = schemaAt(b);
          const target = typeof branch['$ref'] === 'string' ? schemaAt(resolveRef(branch['$ref'], b)) : branch;
          return target['properties']?.[discriminator]?.const === (instance as Record<string, unknown>)[discriminator];
        })
      : branches.filter((b) => satisfies(b, instance));
    for (const branch of picked) walk(branch, instance, at, out, seen);
  }
  if (schema['if'] !== undefined) {
    const next = satisfies(join(uri, 'if'), instance) ? 'then' : 'else';
    if (schema[next] !== undefined) walk(join(uri, next), instance, at, out, seen);
  }
  if (Array.isArray(instance)) {
    if (schema['items'] && typeof schema['items'] === 'object') instance.forEach((item, i) => walk(join(uri, 'items'), item, `${at}/${i}`, out, seen));
    return;
  }
  if (!instance || typeof instance !== 'object') return;
  const value = instance as Record<string, unknown>;
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  for (const [key, property] of Object.entries(properties)) {
    const propertyUri = join(uri, 'properties', key);
    if (key in value) walk(propertyUri, value[key], `${at}/${key}`, out, seen);
    else if (namingKeys.has(key) && property['$ref'] && resolveRef(property['$ref'], propertyUri) === localizedTextUri && !fallsBackToText(property['description'])) out.push(`${at}/${key}: missing`);
  }
  for (const [key, child] of Object.entries(value)) {
    if (key in properties) continue;
    const pattern = Object.keys(schema['patternProperties'] ?? {}).find((p) => new RegExp(p, 'u').test(key));
    if (pattern !== undefined) walk(join(uri, 'patternProperties', pattern), child, `${at}/${key}`, out, seen);
    else if (schema['additionalProperties'] && typeof schema['additionalProperties'] === 'object') walk(join(uri, 'additionalProperties'), child, `${at}/${key}`, out, seen);
  }
}

/** Every template folder (a manifest beside its metadata), the industries and the ones that install beside them. */
const templates = readdirSync(templatesDir).filter((name) => existsSync(path.join(templatesDir, name, 'template.json'))).sort();

function readTemplate(name: string): { manifest: Record<string, unknown>; docs: Doc[] } {
  const root = path.join(templatesDir, name);
  const docs: Doc[] = [];
  for (const kind of readdirSync(path.join(root, 'metadata'))) {
    for (const file of readdirSync(path.join(root, 'metadata', kind))) docs.push(JSON.parse(readFileSync(path.join(root, 'metadata', kind, file), 'utf8')) as Doc);
  }
  return { manifest: JSON.parse(readFileSync(path.join(root, 'template.json'), 'utf8')), docs };
}

function labelProblems(manifest: Record<string, unknown>, docs: Doc[], seen?: string[]): string[] {
  const out: string[] = [];
  walk(`${idBase}template.schema.json#`, manifest, 'template.json', out, seen);
  for (const doc of docs) walk(`${idBase}${doc.kind}.schema.json#`, doc, `${doc.kind}/${doc.name}`, out, seen);
  return out;
}

describe('the walker finds what it should (it reads the schemas, so it must fail on a bad label anywhere)', () => {
  const entity: Doc = {
    kind: 'entity', name: 'ticket', label: { en: 'Ticket', zh: '工单' }, pluralLabel: { en: 'Tickets', zh: '工单' },
    fields: { status: { type: 'picklist', label: { en: 'Status', zh: '状态' }, options: { open: { label: { en: 'Open', zh: '打开' } } } } },
  };
  const workflow: Doc = {
    kind: 'workflow', name: 'ticketFlow', entity: 'ticket', field: 'status', label: { en: 'Flow', zh: '流程' },
    states: { open: { label: { en: 'Open', zh: '打开' }, initial: true } },
    transitions: { reopen: { label: { en: 'Reopen', zh: '重开' }, from: 'open', to: 'open', actions: ['stamp'] } },
    actions: { stamp: { type: 'setFields', label: { en: 'Stamp', zh: '记录' }, values: { status: "'open'" } } },
  };
  const manifest = { name: 'desk', version: '1.0.0', title: { en: 'Desk', zh: '服务台' }, description: { en: 'A desk', zh: '服务台' }, modules: { core: { label: { en: 'Core', zh: '核心' }, enabledByDefault: true, items: { entity: ['ticket'] } } } };

  it('clean documents pass', () => {
    expect(labelProblems(manifest, [entity, workflow])).toEqual([]);
  });

  it.each([
    ['an option label in English only', (e: Doc) => (e['fields'].status.options.open.label = { en: 'Open' }), '/fields/status/options/open/label: no zh'],
    ['an entity label as one string', (e: Doc) => (e['label'] = 'Ticket'), 'entity/ticket/label: one text for every language ("Ticket")'],
    ['a field label without Chinese', (e: Doc) => (e['fields'].status.label = { en: 'Status', zh: ' ' }), '/fields/status/label: no zh'],
  ])('an entity with %s fails', (_, change, expected) => {
    const bad = structuredClone(entity);
    change(bad);
    expect(labelProblems(manifest, [bad, workflow]).join('\n')).toContain(expected);
  });

  it.each([
    ['a transition label in English only', (w: Doc) => (w['transitions'].reopen.label = { en: 'Reopen' }), 'workflow/ticketFlow/transitions/reopen/label: no zh'],
    ['a state label without English', (w: Doc) => (w['states'].open.label = { zh: '打开' }), 'workflow/ticketFlow/states/open/label: no en'],
    ['an action without a label', (w: Doc) => delete w['actions'].stamp.label, 'workflow/ticketFlow/actions/stamp/label: missing'],
  ])('a workflow with %s fails', (_, change, expected) => {
    const bad = structuredClone(workflow);
    change(bad);
    expect(labelProblems(manifest, [entity, bad])).toContain(expected);
  });

  it('a module label in English only fails', () => {
    const bad = structuredClone(manifest);
    bad.modules.core.label = { en: 'Core' } as typeof bad.modules.core.label;
    expect(labelProblems(bad, [entity, workflow])).toEqual(['template.json/modules/core/label: no zh']);
  });
});

describe.each(templates)('%s: every label in English and Chinese', (name) => {
  const { manifest, docs } = readTemplate(name);

  it('every text the schemas call localized has en and zh; every naming label is there', () => {
    const seen: string[] = [];
    expect(labelProblems(manifest, docs, seen)).toEqual([]);
    // The walk reached the texts inside each kind: modules, fields and options, states, transitions and actions, widgets.
    const reached = (pattern: RegExp) => seen.some((p) => pattern.test(p));
    expect(reached(/^template\.json\/modules\/\w+\/label$/)).toBe(true);
    expect(reached(/^entity\/\w+\/fields\/\w+\/label$/)).toBe(true);
    if (docs.some((d) => d.kind === 'workflow')) for (const part of ['states', 'transitions', 'actions']) expect(reached(new RegExp(`^workflow/\\w+/${part}/\\w+/label$`)), part).toBe(true);
    if (docs.some((d) => d.kind === 'dashboard')) expect(reached(/^dashboard\/\w+\/widgets\/\w+\/title$/)).toBe(true);
    if (JSON.stringify(docs).includes('"options"')) expect(reached(/\/options\/\w+\/label$/)).toBe(true);
  });

  it('each form is titled as its entity is labelled, in en and zh', () => {
    const entities = new Map(docs.filter((d) => d.kind === 'entity').map((d) => [d.name, d]));
    const mismatched = docs
      .filter((d) => d.kind === 'form' && entities.has(d['entity']))
      .filter((form) => JSON.stringify(form['label']) !== JSON.stringify(entities.get(form['entity'])!['label']))
      .map((form) => `form/${form.name} ${JSON.stringify(form['label'])} ≠ entity/${form['entity']} ${JSON.stringify(entities.get(form['entity'])!['label'])}`);
    expect(mismatched).toEqual([]);
  });
});
