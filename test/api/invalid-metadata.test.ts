// Acceptance: invalid metadata is rejected whole — 400, nothing applied, the revision unchanged —
// with every error listed at its JSON pointer. One fixture per kind of mistake in
// test/fixtures/api/invalid-metadata/: the documents, how they are sent, and the exact pointers.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, createRecord, currentRevision, errorPaths, expectError } from './api-helpers.ts';

interface InvalidCase {
  file: string;
  description: string;
  /** put: PUT the one document at its address; apply: POST them all as one revision; delete: DELETE each address. */
  method: 'put' | 'apply' | 'delete';
  documents: { kind: string; name: string }[];
  /** For put: the name in the address when it is not the document's own. */
  address?: string;
  /** Every pointer the refusal must name, no more and no less. */
  errors: string[];
}

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/api/invalid-metadata');
const cases: InvalidCase[] = readdirSync(fixtures)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, ...(JSON.parse(readFileSync(path.join(fixtures, file), 'utf8')) as Omit<InvalidCase, 'file'>) }));

const plural: Record<string, string> = { entity: 'entities', view: 'views', form: 'forms', workflow: 'workflows', role: 'roles', dashboard: 'dashboards' };

const base = [
  { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text', required: true } } },
  { kind: 'entity', name: 'contact', label: 'Contact', fields: { name: { type: 'text' }, account: { type: 'lookup', to: 'account' } } },
];

/** Every schema description that promises a check on save, and the fixtures that show the check. */
const promisedChecks: Record<string, string[]> = {
  'common.schema.json#/$defs/expression': ['bad-jsonata-syntax.json', 'eval-in-expression.json', 'form-expression-syntax.json', 'form-expression-unsafe-regex.json'],
  // Dashboards are checked by analytics' kind and shown by its test (file#pointer asserted there).
  'dashboard.schema.json#': ['test/analytics/dashboard-api.test.ts#/widgets/funnel/workflow', 'test/analytics/dashboard-api.test.ts#/widgets/top/columns/1'],
  'dashboard.schema.json#/$defs/layout': ['test/analytics/dashboard-api.test.ts#/widgets/regions/layout'],
  'dashboard.schema.json#/$defs/lineWidget/properties/groupBy': ['test/analytics/dashboard-api.test.ts#/widgets/perMonth/groupBy'],
  'entity.schema.json#/$defs/duplicateRule/properties/action': ['test/quality/duplicate-rule-block.test.ts#/duplicateRules/samePhone/action'],
  'field.schema.json#/$defs/polymorphicLookupField/properties/to': ['test/relations/polymorphic-lookup.test.ts#/fields/about/to/1'],
  'field.schema.json#/$defs/multiLookupField/properties/to': ['multi-lookup-to-missing-entity.json'],
  'field.schema.json#/$defs/fileField/properties/maxItems': ['file-max-items-without-multiple.json'],
  'field.schema.json#/$defs/multiLookupField/properties/linkFields': ['test/relations/link-attributes.test.ts#/fields/members/linkFields/boss/type'],
  'form.schema.json#/properties/default': ['form-two-defaults.json'],
  'form.schema.json#/properties/publish': ['form-published-lookup.json'],
  'form.schema.json#/$defs/section/properties/fields': ['form-field-in-two-sections.json'],
  'form.schema.json#/$defs/field/properties/widget': ['form-widget-unfit.json', 'form-widget-not-drawn.json'],
  'role.schema.json#/properties/homeDashboard': ['role-home-dashboard-missing.json'],
  'role.schema.json#/$defs/entityPermissions/properties/update': ['role-scopes-and-fields.json'],
  'role.schema.json#/$defs/entityPermissions/properties/delete': ['role-scopes-and-fields.json'],
  'role.schema.json#/$defs/entityPermissions/properties/reassign': ['role-scopes-and-fields.json'],
  'view.schema.json#/properties/default': ['view-two-defaults.json'],
  'workflow.schema.json#': ['workflow-two-initial-states.json'],
  'workflow.schema.json#/properties/field': ['workflow-field-not-its-states.json'],
  'workflow.schema.json#/properties/states': ['workflow-two-initial-states.json'],
  'workflow.schema.json#/$defs/updateRelatedAction': ['workflow-update-related-unfit.json'],
};

function descriptionsPromisingChecks(): string[] {
  const schemas = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../schemas');
  const found: string[] = [];
  const walk = (node: unknown, file: string, pointer: string): void => {
    if (!node || typeof node !== 'object') return;
    const description = (node as { description?: unknown }).description;
    if (typeof description === 'string' && /(checked|refused) (on save|across documents|when the metadata is saved)/i.test(description)) found.push(`${file}#${pointer}`);
    for (const [key, value] of Object.entries(node)) walk(value, file, `${pointer}/${key}`);
  };
  for (const file of readdirSync(schemas).filter((f) => f.endsWith('.schema.json'))) walk(JSON.parse(readFileSync(path.join(schemas, file), 'utf8')), file, '');
  return found.sort();
}

describe('schema descriptions that promise a check on save', () => {
  it('each has a fixture here that shows the check', () => {
    expect(descriptionsPromisingChecks()).toEqual(Object.keys(promisedChecks).sort());
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    for (const [where, files] of Object.entries(promisedChecks)) {
      for (const file of files) {
        const [testFile, asserted] = file.split('#');
        if (asserted !== undefined) expect(readFileSync(path.join(root, testFile!), 'utf8'), where).toContain(`'${asserted}'`);
        else expect(cases.map((c) => c.file), where).toContain(file);
      }
    }
  });
});

describe('invalid metadata over HTTP', () => {
  let server: TestServer;
  let revision: number;

  beforeAll(async () => {
    server = await startTestServer();
    revision = await applyMetadata(server, base);
  });
  afterAll(async () => server.close());

  it('has at least ten kinds of mistake, each fixture well-formed', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    for (const c of cases) {
      expect(c.description, c.file).toBeTruthy();
      expect(['put', 'apply', 'delete'], c.file).toContain(c.method);
      expect(c.errors.length, c.file).toBeGreaterThan(0);
    }
  });

  const send = (c: InvalidCase) => {
    const [first] = c.documents;
    if (c.method === 'put') return server.put(`/api/meta/${plural[first!.kind]}/${encodeURIComponent(c.address ?? first!.name)}`, first);
    if (c.method === 'delete') return server.delete(`/api/meta/${plural[first!.kind]}/${first!.name}`);
    return server.post('/api/meta/apply', c.documents);
  };

  it.each(cases)('$file: $description', async (c) => {
    const before = await server.get('/api/meta/revisions');
    const res = await send(c);
    const details = expectError(res, 400, 'INVALID_METADATA');
    expect(errorPaths(res)).toEqual([...c.errors].sort());
    for (const detail of details) expect(detail.message.length, detail.path).toBeGreaterThan(0);

    // Nothing applied: no new revision, and every addressed item is as it was.
    expect(await currentRevision(server)).toBe(revision);
    expect((await server.get('/api/meta/revisions')).body).toEqual(before.body);
    for (const doc of [...c.documents, ...(c.address ? [{ kind: c.documents[0]!.kind, name: c.address }] : [])]) {
      const stored = await server.get(`/api/meta/${plural[doc.kind]}/${encodeURIComponent(doc.name)}`);
      const original = base.find((b) => b.kind === doc.kind && b.name === doc.name);
      if (original) expect(stored.body).toEqual(original);
      else expectError(stored, 404, 'NOT_FOUND');
    }

    // The dry run finds the same problems, each with the document it belongs to (a dry run has
    // no address, so a name that differs from one cannot be shown by it).
    if (c.address) return;
    const dryRun = await server.post('/api/meta/validate', c.method === 'delete' ? { documents: [], remove: c.documents.map(({ kind, name }) => ({ kind, name })) } : c.documents);
    expect(dryRun.status).toBe(200);
    expect(dryRun.body.valid).toBe(false);
    expect(dryRun.body.issues.length).toBeGreaterThanOrEqual(c.errors.length);
    for (const issue of dryRun.body.issues) {
      expect(typeof issue.kind).toBe('string');
      expect(typeof issue.name).toBe('string');
      expect(issue.path === '' || issue.path.startsWith('/')).toBe(true);
    }
    expect(await currentRevision(server)).toBe(revision);
  });

  it('leaves the model working after every refusal', async () => {
    const account = await createRecord(server, 'account', { name: 'Still here' });
    expect(account.revision).toBe(revision);
    expect((await server.post('/api/data/contact', { name: 'C', account: account.id })).status).toBe(201);
    expectError(await server.get('/api/data/probe'), 404, 'UNKNOWN_ENTITY');
  });

  it('refuses bodies that are not metadata documents at all', async () => {
    const notObject = await server.put('/api/meta/entities/probe', [1, 2]);
    expect(errorPaths(notObject)).toEqual(['']);
    expectError(notObject, 400, 'INVALID_METADATA');
    const noKind = await server.post('/api/meta/apply', [{ name: 'x' }]);
    expect(errorPaths(noKind)).toEqual(['/documents/0']);
    const unknownKind = await server.put('/api/meta/gizmos/probe', { kind: 'gizmo', name: 'probe' });
    expectError(unknownKind, 404, 'NOT_FOUND');
    expect(await currentRevision(server)).toBe(revision);
  });
});
