// GET /v1/kb/search and /v1/kb/articles/:id over HTTP, including the bad input the issue lists:
// every case answers 200 with results or a 400 that says what is wrong, never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncKnowledge } from '../../src/knowledge/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { writeKnowledge } from './fixtures.js';

describe('knowledge routes', () => {
  let t: TestApp;
  let kb: ReturnType<typeof writeKnowledge>;
  const search = (query: Record<string, string>) => t.as(t.keys.agent, { method: 'GET', url: '/v1/kb/search', query });

  beforeAll(async () => {
    kb = writeKnowledge();
    t = await startTestApp({ env: { KNOWLEDGE_DIR: kb.dir } });
    await syncKnowledge(t.ctx);
  });
  afterAll(async () => {
    await t?.close();
    kb?.cleanup();
  });

  it('searches with language, k and root cause', async () => {
    const res = await search({ q: '邮箱满了 552', lang: 'zh', k: '2' });
    expect(res.statusCode).toBe(200);
    const { hits } = res.json() as { hits: Record<string, unknown>[] };
    expect(hits[0]).toMatchObject({ articleId: 'rc-mailbox-full', lang: 'zh', title: '收件人邮箱已满', anchor: expect.any(String) });
    expect(hits.length).toBeLessThanOrEqual(2);
    const rc = await search({ q: '登录', rootCause: 'auth_credentials_invalid' });
    expect((rc.json() as { hits: { rootCauses: string[] }[] }).hits.every((h) => h.rootCauses.includes('auth_credentials_invalid'))).toBe(true);
  });

  it('needs an API key', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/kb/search?q=quota' });
    expect(res.statusCode).toBe(401);
  });

  it.each([
    ["'"],
    ["' OR 1=1; DROP TABLE kb_chunks; --"],
    ['quota & full | !spam'],
    ['quota:*'],
    ['<->'],
    ['邮箱满了 mailbox full 5.2.2 😀'],
    ['😀🙈'],
    ['\\'],
  ])('answers %j with 200 and a list', async (q) => {
    const res = await search({ q });
    expect(res.statusCode).toBe(200);
    expect(Array.isArray((res.json() as { hits: unknown[] }).hits)).toBe(true);
  });

  it.each([
    [{ q: '' }, /q must not be empty/],
    [{ q: '    ' }, /q must not be empty/],
    [{}, /q \(the question\) is required/],
    [{ q: 'x'.repeat(10 * 1024) }, /q is too long/],
    [{ q: 'quota', lang: 'fr' }, /lang/],
    [{ q: 'quota', k: '0' }, /k/],
    [{ q: 'quota', k: 'many' }, /k must be a number/],
    [{ q: 'quota', rootCause: 'nonsense' }, /rootCause must be one of the taxonomy root causes/],
  ])('rejects %j with a clear 400', async (query, message) => {
    const res = await search(query as Record<string, string>);
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { message: string } }).error.message).toMatch(message);
  });

  it('returns an article in the language asked, else the other one, and 404 for unknown ids', async () => {
    const zh = await t.as(t.keys.agent, { method: 'GET', url: '/v1/kb/articles/rc-mailbox-full?lang=zh' });
    expect(zh.statusCode).toBe(200);
    expect(zh.json()).toMatchObject({
      id: 'rc-mailbox-full',
      lang: 'zh',
      title: '收件人邮箱已满',
      rootCauses: ['mailbox_full'],
      languages: ['en', 'zh'],
      sections: [{ heading: '这是什么问题', anchor: '这是什么问题' }, { heading: '解决方法', anchor: '解决方法' }],
    });
    const fallback = await t.as(t.keys.agent, { method: 'GET', url: '/v1/kb/articles/rc-dmarc-failure?lang=zh' });
    expect(fallback.json()).toMatchObject({ lang: 'en', languages: ['en'] });
    const missing = await t.as(t.keys.agent, { method: 'GET', url: '/v1/kb/articles/no-such-article' });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as { error: { message: string } }).error.message).toBe('knowledge article "no-such-article" not found');
    const bad = await t.as(t.keys.agent, { method: 'GET', url: `/v1/kb/articles/${encodeURIComponent("x' or 1=1")}` });
    expect(bad.statusCode).toBe(400);
  });
});
