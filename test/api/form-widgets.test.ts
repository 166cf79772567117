// A form's widget is accepted only where the record form draws it (engine/fields/form-widgets.ts):
// a widget the record form ignored (a text's select, a date's input, a lookup's select, …) or an
// integer's radio or select without a small range is refused at the widget's pointer, in the
// caller's language, saying what fits; the widgets the record form draws now — a boolean's radio
// and select, an integer's select over a small range, a text area's one-line input — are accepted.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { applyMetadata, currentRevision, expectError } from './api-helpers.ts';

const fixture = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../fixtures/api/invalid-metadata/form-widget-not-drawn.json'), 'utf8')) as { documents: unknown[] };
const at = (field: string) => `/form/probeForm/sections/main/fields/${field}/widget`;
const account = { kind: 'entity', name: 'account', label: 'Account', fields: { name: { type: 'text', required: true } } };

describe('form widgets: refused where the record form cannot draw them, in en and zh', () => {
  let server: TestServer;
  let revision: number;

  beforeAll(async () => {
    server = await startTestServer();
    revision = await applyMetadata(server, [account]);
  });
  afterAll(async () => server.close());

  const refusal = async (language: 'en' | 'zh') => {
    const res = await server.post('/api/meta/apply', fixture.documents, { 'accept-language': language });
    const details = expectError(res, 400, 'INVALID_METADATA');
    return Object.fromEntries(details.map((d) => [d.path, d.message]));
  };

  it('names each widget, why and what fits (en)', async () => {
    const messages = await refusal('en');
    expect(messages[at('note')]).toBe('"select" does not fit a text field: a text has no options to choose from; use a picklist field for a choice, or one of input, textarea, richText');
    expect(messages[at('when')]).toBe('"input" does not fit a date field; use one of date');
    expect(messages[at('at')]).toBe('"date" does not fit a datetime field; use one of datetime');
    expect(messages[at('atToo')]).toBe('"input" does not fit a datetime field; use one of datetime');
    expect(messages[at('account')]).toBe('"select" does not fit a lookup field; use one of lookup');
    expect(messages[at('accounts')]).toBe('"tags" does not fit a multiLookup field; use one of lookup');
    expect(messages[at('accountsToo')]).toBe('"select" does not fit a multiLookup field; use one of lookup');
    const range = 'on an integer field offers each whole number from min to max: set both min and max, at most 11 numbers apart (e.g. 1 to 5), or use one of input, stepper, slider';
    expect(messages[at('count')]).toBe(`"radio" ${range}`);
    expect(messages[at('share')]).toBe(`"select" ${range}`);
    expect(messages[at('from')]).toBe(`"radio" ${range}`);
    expect(Object.keys(messages)).toHaveLength(10);
    expect(await currentRevision(server)).toBe(revision);
  });

  it('names each widget, why and what fits (zh)', async () => {
    const messages = await refusal('zh');
    expect(messages[at('note')]).toBe('"select" 不适用于 text 字段：文本没有可选的选项；要让用户选择请使用下拉字段，或使用以下之一：input, textarea, richText');
    expect(messages[at('when')]).toBe('"input" 不适用于 date 字段；请使用以下之一：date');
    expect(messages[at('accounts')]).toBe('"tags" 不适用于 multiLookup 字段；请使用以下之一：lookup');
    expect(messages[at('count')]).toBe('整数字段的 "radio" 控件列出从最小值到最大值的每个整数：请同时设置最小值和最大值，最多 11 个数（例如 1 到 5），或使用以下之一：input, stepper, slider');
    expect(messages[at('share')]).toContain('整数字段的 "select" 控件');
    expect(await currentRevision(server)).toBe(revision);
  });

  it('accepts what the record form draws: a boolean\'s radio and select, an integer\'s radio and select over 1..11, a text area\'s input, a rich text', async () => {
    const entity = {
      kind: 'entity', name: 'fit', label: 'Fit',
      fields: { yes: { type: 'boolean' }, maybe: { type: 'boolean' }, score: { type: 'integer', min: 0, max: 10 }, stars: { type: 'integer', min: 1, max: 5 }, line: { type: 'textarea' }, body: { type: 'textarea' }, title: { type: 'text' } },
    };
    const widgets = { yes: 'radio', maybe: 'select', score: 'select', stars: 'radio', line: 'input', body: 'richText', title: 'richText' };
    const form = { kind: 'form', name: 'fitForm', entity: 'fit', label: 'Fit', sections: { main: { order: 1, fields: Object.fromEntries(Object.entries(widgets).map(([f, widget], i) => [f, { order: i, widget }])) } } };
    const res = await server.post('/api/meta/apply', [entity, form]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // One number more than the radios allow is refused again.
    const wide = { ...entity, fields: { ...entity.fields, score: { type: 'integer', min: 0, max: 11 } } };
    const refused = await server.post('/api/meta/apply', [wide, form]);
    expect(expectError(refused, 400, 'INVALID_METADATA').map((d) => d.path)).toEqual([at('score').replace('probeForm', 'fitForm')]);
  });
});
