// Retrieval on PGlite and PostgreSQL: full text in both languages, filters, hybrid ranking with the
// test embeddings server, and the references every Diagnosis carries.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { referencesFor, searchKnowledge, syncKnowledge, type KbContext } from '../../src/knowledge/index.js';
import type { Db } from '../../src/store/index.js';
import { DB_BACKENDS, openTestDb } from '../helpers/backends.js';
import { startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings.js';
import { writeKnowledge } from './fixtures.js';

describe.each(DB_BACKENDS)('knowledge search on %s', (backend) => {
  let db: Db;
  let server: FakeEmbeddings;
  let kb: ReturnType<typeof writeKnowledge>;
  let plain: KbContext;
  let hybrid: KbContext;

  beforeAll(async () => {
    db = await openTestDb(backend);
    server = await startFakeEmbeddings(64);
    kb = writeKnowledge();
    const log = pino({ level: 'silent' });
    plain = { db, log, config: loadConfig({ KNOWLEDGE_DIR: kb.dir }) };
    hybrid = { db, log, config: loadConfig({ KNOWLEDGE_DIR: kb.dir, EMBEDDINGS_BASE_URL: server.url, EMBEDDINGS_MODEL: 'fake' }) };
    await syncKnowledge(hybrid);
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
    kb?.cleanup();
  });

  it.each([
    ['我的邮件被退信了，说对方邮箱满了', 'zh', 'rc-mailbox-full'],
    ['退信 550 5.1.1 用户不存在', 'zh', 'rc-recipient-unknown'],
    ['Gmail bounced my message with 5.7.26', 'en', 'rc-dmarc-failure'],
    ['the recipient inbox is over quota', 'en', 'rc-mailbox-full'],
  ] as const)('full text finds the answer to "%s" (%s)', async (text, lang, expected) => {
    const hits = await searchKnowledge(plain, { text, lang, k: 3 });
    expect(hits[0]).toMatchObject({ articleId: expected, lang });
    expect(hits[0]!.snippet.length).toBeGreaterThan(0);
    expect(hits[0]!.score).toBeGreaterThan(0);
  });

  it('returns one hit per article with title, heading anchor and snippet', async () => {
    const hits = await searchKnowledge(plain, { text: 'quota mailbox full empty deleted items attachments', lang: 'en', k: 5 });
    expect(new Set(hits.map((h) => `${h.articleId}/${h.lang}`)).size).toBe(hits.length);
    expect(hits[0]).toMatchObject({ articleId: 'rc-mailbox-full', title: 'Recipient mailbox is full', anchor: expect.any(String) });
  });

  it('filters by language and by root cause', async () => {
    const both = await searchKnowledge(plain, { text: '552 5.2.2', k: 5 });
    expect(both.map((h) => h.lang).sort()).toEqual(['en', 'zh']);
    const zh = await searchKnowledge(plain, { text: '552 5.2.2', lang: 'zh', k: 5 });
    expect(zh.map((h) => h.lang)).toEqual(['zh']);
    const rc = await searchKnowledge(plain, { text: '登录 密码', rootCause: 'auth_credentials_invalid', k: 5 });
    expect(rc.length).toBe(2);
    expect(rc.every((h) => h.rootCauses.includes('auth_credentials_invalid'))).toBe(true);
    expect(await searchKnowledge(plain, { text: '登录 密码', rootCause: 'mailbox_full', k: 5 })).toEqual([]);
  });

  it('answers hostile input with plain results, never an SQL or tsquery error', async () => {
    for (const text of ["'", "' OR 1=1 --", 'a & b | !c', 'quota:*', '\\', '((', '😀😀', '', '   ', 'x'.repeat(10_000), '邮箱 full 😀 5.2.2 & |']) {
      await expect(searchKnowledge(plain, { text })).resolves.toBeInstanceOf(Array);
    }
    expect(await searchKnowledge(plain, { text: '邮箱 full 😀 & | quota:*', k: 5 })).not.toEqual([]);
  });

  it('fuses vector and full-text rankings when embeddings are available', async () => {
    const before = server.requests.length;
    const hits = await searchKnowledge(hybrid, { text: 'the mailbox is over quota', lang: 'en', k: 3 });
    expect(hits[0]?.articleId).toBe('rc-mailbox-full');
    // The question was embedded only where vectors can be searched.
    expect(server.requests.length - before).toBe(db.features.vector ? 1 : 0);
    if (db.features.vector) {
      // A question sharing no token with any article still gets its nearest chunks from the vectors.
      const vecOnly = await searchKnowledge(hybrid, { text: 'mailboxx overquota', lang: 'en', k: 3 });
      expect(vecOnly.length).toBeGreaterThan(0);
      expect(await searchKnowledge(plain, { text: 'mailboxx overquota', lang: 'en', k: 3 })).toEqual([]);
    }
  });

  it('falls back to full text when the question cannot be embedded', async () => {
    server.failWith = 400;
    try {
      const hits = await searchKnowledge(hybrid, { text: 'the mailbox is over quota', lang: 'en', k: 3 });
      expect(hits[0]?.articleId).toBe('rc-mailbox-full');
    } finally {
      server.failWith = null;
    }
  });

  it('cites articles of the root cause in the language asked, falling back to the other one', async () => {
    const zh = await referencesFor(plain, { rootCause: 'mailbox_full', lang: 'zh' });
    expect(zh).toEqual([expect.objectContaining({ articleId: 'rc-mailbox-full', lang: 'zh', title: '收件人邮箱已满' })]);
    const fallback = await referencesFor(plain, { rootCause: 'dmarc_failure', lang: 'zh' });
    expect(fallback).toEqual([expect.objectContaining({ articleId: 'rc-dmarc-failure', lang: 'en' })]);
    expect(await referencesFor(plain, { rootCause: 'virus_detected', lang: 'en' })).toEqual([]);
  });

  it('puts provider-specific articles first when the provider matches', async () => {
    const general = await referencesFor(plain, { rootCause: 'auth_credentials_invalid', lang: 'zh' });
    expect(general.map((r) => r.articleId)).toEqual(['rc-auth-credentials-invalid', 'prov-exmail-auth']);
    const tencent = await referencesFor(plain, { rootCause: 'auth_credentials_invalid', lang: 'zh', provider: 'Tencent' });
    expect(tencent.map((r) => r.articleId)).toEqual(['prov-exmail-auth', 'rc-auth-credentials-invalid']);
    const asked = await referencesFor(plain, { rootCause: 'auth_credentials_invalid', lang: 'zh', provider: 'tencent', query: '535 认证失败 重置密码' });
    expect(asked[0]!.articleId).toBe('prov-exmail-auth');
    expect(asked.map((r) => r.articleId).sort()).toEqual(['prov-exmail-auth', 'rc-auth-credentials-invalid']);
  });

  it('cites the section that matches the question, when there is one', async () => {
    const refs = await referencesFor(plain, { rootCause: 'mailbox_full', lang: 'en', query: 'how do I fix it: archive old attachments' });
    expect(refs[0]).toMatchObject({ articleId: 'rc-mailbox-full', anchor: 'how-to-fix-it' });
    expect(refs[0]!.snippet).toContain('archive old attachments');
  });
});
