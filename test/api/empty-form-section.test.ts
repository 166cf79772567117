// A form section the admin added and has not filled yet ("Add section", then "Review and save"): the
// refusal said "must NOT have fewer than 1 properties" (in Chinese "不能少于 1 个属性") — ajv's words,
// which mean nothing to an admin. It says the section's fields must not be empty, at their pointer,
// in the caller's language, and the form is left as it was.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

let server: TestServer;
const form = (sections: Record<string, unknown>) => ({ kind: 'form', name: 'courseMain', entity: 'course', label: { en: 'Course', zh: '课程' }, sections });

beforeAll(async () => {
  server = await startTestServer();
  const course = await server.put('/api/meta/entities/course', { kind: 'entity', name: 'course', label: { en: 'Course', zh: '课程' }, fields: { name: { type: 'text', label: { en: 'Name', zh: '名称' }, required: true } } });
  expect(course.status, JSON.stringify(course.body)).toBeLessThan(300);
  const saved = await server.put('/api/meta/forms/courseMain', form({ main: { order: 10, fields: { name: { order: 10 } } } }));
  expect(saved.status, JSON.stringify(saved.body)).toBeLessThan(300);
}, 60_000);
afterAll(async () => server?.close());

describe('a form with an empty section', () => {
  it.each([
    ['en', 'must not be empty'],
    ['zh', '不能为空'],
  ])('is refused in %s with the section’s fields named and the reason said plainly', async (language, message) => {
    const withEmpty = form({ main: { order: 10, fields: { name: { order: 10 } } }, billing: { order: 20, label: { en: 'Billing', zh: '开票' }, fields: {} } });
    for (const res of [
      await server.put('/api/meta/forms/courseMain', withEmpty, { 'accept-language': language }),
      await server.post('/api/meta/validate', { documents: [withEmpty] }, { 'accept-language': language }),
    ]) {
      const issues = (res.body.error?.details ?? res.body.issues ?? []) as { path: string; message: string }[];
      expect(issues.filter((i) => i.path.endsWith('/sections/billing/fields')).map((i) => i.message), JSON.stringify(res.body)).toEqual([message]);
    }
    expect(Object.keys((await server.get('/api/meta/forms/courseMain')).body.sections)).toEqual(['main']);
  });
});
