// A refused new password says why and what to do instead, in the user's language (it said only
// "is too easy to guess", leaving them to guess the rule): for a common password, the e-mail
// itself, the e-mail's name inside it, and too few different characters — on the admin's users
// API and on changing one's own password, each a 400 naming the field.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const email = 'mei.lin@shop.test';
const suggestion = { en: 'Try three or four unrelated words, or a longer sentence only you would think of.', zh: '可以试试三四个互不相关的词，或一句只有你会想到的较长的话。' };
const cases = [
  { password: 'password123', en: 'it is one of the passwords tried first by anyone guessing', zh: '它是猜密码的人最先尝试的常见密码之一' },
  { password: 'MEI.LIN@shop.test', en: 'it is your e-mail address', zh: '它就是你的邮箱地址' },
  { password: 'mei.lin-2026!', en: 'it contains your e-mail name "mei.lin"', zh: '它包含你的邮箱用户名“mei.lin”' },
  { password: 'abababababab', en: 'it uses only 2 different characters (at least 4 are needed)', zh: '它只用了 2 个不同的字符（至少需要 4 个）' },
];

describe('a refused password gives its reason and a suggestion (en, zh)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  for (const language of ['en', 'zh'] as const) {
    it.each(cases)(`a new user with "$password" (${language})`, async (c) => {
      const refused = await server.post('/api/users', { email, password: c.password, name: 'Mei Lin' }, { 'accept-language': language });
      expect(refused.status).toBe(400);
      const expected = language === 'en' ? `is too easy to guess: ${c.en}. ${suggestion.en}` : `过于容易猜测：${c.zh}。${suggestion.zh}`;
      expect(refused.body.error.details).toContainEqual(expect.objectContaining({ path: '/password', message: expected }));
    });
  }

  it('changing one\'s own password: the reason and the suggestion, in the language asked for', async () => {
    const user = await server.createUser({ email: 'li.wei@shop.test' });
    const refused = await user.client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'li.wei.li.wei' }, { 'accept-language': 'zh' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: '/newPassword', message: `过于容易猜测：它包含你的邮箱用户名“li.wei”。${suggestion.zh}` })]);
    // A password clear of every reason is taken.
    expect((await user.client.post('/api/auth/password', { currentPassword: user.password, newPassword: 'kettle-orchard-violin' })).status).toBe(204);
  });
});
