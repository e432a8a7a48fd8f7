// Ingestion on PGlite and PostgreSQL: idempotent by hash, only changed articles re-chunked and
// re-embedded, removed articles gone, model/dimension change → clean re-embed, embeddings failures
// and a database without pgvector leave full-text search working.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { embeddingsMeta, knowledgeStatus, KnowledgeError, searchKnowledge, syncKnowledge, type KbContext } from '../../src/knowledge/index.js';
import type { Db } from '../../src/store/index.js';
import { DB_BACKENDS, openTestDb } from '../helpers/backends.js';
import { startFakeEmbeddings, type FakeEmbeddings } from '../helpers/fake-embeddings.js';
import { articleText, FIXTURES, writeKnowledge } from './fixtures.js';

const log = pino({ level: 'silent' });

describe.each(DB_BACKENDS)('knowledge ingestion on %s', (backend) => {
  let db: Db;
  let server: FakeEmbeddings;
  let kb: ReturnType<typeof writeKnowledge>;
  const ctxWith = (env: Record<string, string> = {}): KbContext => ({
    db,
    log,
    config: loadConfig({ KNOWLEDGE_DIR: kb.dir, EMBEDDINGS_BASE_URL: server.url, EMBEDDINGS_MODEL: 'fake-a', ...env }),
  });
  const count = async (sql: string) => Number((await db.query<{ n: number }>(sql)).rows[0]!.n);

  beforeAll(async () => {
    db = await openTestDb(backend);
    server = await startFakeEmbeddings(32);
    kb = writeKnowledge();
  });
  afterAll(async () => {
    await db?.close();
    await server?.close();
    kb?.cleanup();
  });

  it('ingests every article once and embeds every chunk (where pgvector exists)', async () => {
    const r = await syncKnowledge(ctxWith());
    expect(r).toMatchObject({ added: FIXTURES.length, updated: 0, removed: 0, unchanged: 0 });
    const chunks = await count('SELECT count(*)::int AS n FROM kb_chunks');
    expect(chunks).toBeGreaterThanOrEqual(FIXTURES.length);
    const status = await knowledgeStatus(ctxWith());
    expect(status).toMatchObject({ articles: FIXTURES.length, chunks });
    if (db.features.vector) {
      expect(r.embedded).toBe(chunks);
      expect(await count('SELECT count(*)::int AS n FROM kb_embeddings')).toBe(chunks);
      expect(await embeddingsMeta(db)).toEqual({ model: 'fake-a', dim: 32 });
      expect(status).toMatchObject({ embedded: chunks, mode: 'hybrid', detail: 'model fake-a, 32 dimensions' });
    } else {
      expect(r.embedded).toBe(0);
      expect(server.texts).toBe(0);
      expect(status).toMatchObject({ embedded: 0, mode: 'fulltext', detail: 'the database has no pgvector' });
    }
  });

  it('does nothing the second time: no writes, no embeddings requests', async () => {
    const before = server.texts;
    const ids = (await db.query<{ id: number }>('SELECT id FROM kb_chunks ORDER BY id')).rows;
    const r = await syncKnowledge(ctxWith());
    expect(r).toEqual({ added: 0, updated: 0, removed: 0, unchanged: FIXTURES.length, embedded: 0 });
    expect(server.texts).toBe(before);
    expect((await db.query<{ id: number }>('SELECT id FROM kb_chunks ORDER BY id')).rows).toEqual(ids);
  });

  it('re-chunks and re-embeds only a changed article', async () => {
    const changed = { ...FIXTURES[2]!, sections: [...FIXTURES[2]!.sections, ['Rotating DKIM keys', 'Publish the new selector before switching.'] as [string, string]] };
    writeFileSync(join(kb.dir, 'en', `${changed.id}.md`), articleText(changed));
    const requestsBefore = server.requests.length;
    const r = await syncKnowledge(ctxWith());
    expect(r).toMatchObject({ added: 0, updated: 1, removed: 0, unchanged: FIXTURES.length - 1 });
    if (db.features.vector) {
      const sent = server.requests.slice(requestsBefore).flatMap((q) => q.input);
      expect(sent.length).toBe(r.embedded);
      expect(sent.every((t) => t.startsWith('DMARC check failed'))).toBe(true);
      expect(await count('SELECT count(*)::int AS n FROM kb_chunks c LEFT JOIN kb_embeddings e ON e.chunk_id = c.id WHERE e.chunk_id IS NULL')).toBe(0);
    }
    const hits = await searchKnowledge(ctxWith(), { text: 'rotating DKIM selector', lang: 'en' });
    expect(hits[0]).toMatchObject({ articleId: 'rc-dmarc-failure', anchor: 'rotating-dkim-keys' });
  });

  it('removes an article whose file is gone, with its chunks and vectors', async () => {
    rmSync(join(kb.dir, 'zh', 'rc-recipient-unknown.md'));
    const r = await syncKnowledge(ctxWith());
    expect(r).toMatchObject({ added: 0, updated: 0, removed: 1 });
    expect(await count("SELECT count(*)::int AS n FROM kb_chunks WHERE article_id = 'rc-recipient-unknown'")).toBe(0);
    const hits = await searchKnowledge(ctxWith(), { text: '用户不存在 5.1.1', lang: 'zh', k: 10 });
    expect(hits.map((h) => h.articleId)).not.toContain('rc-recipient-unknown');
    writeFileSync(join(kb.dir, 'zh', 'rc-recipient-unknown.md'), articleText(FIXTURES[3]!));
    expect(await syncKnowledge(ctxWith())).toMatchObject({ added: 1 });
  });

  it('re-embeds everything cleanly when the model or the dimension changes', async () => {
    if (!db.features.vector) return;
    const chunks = await count('SELECT count(*)::int AS n FROM kb_chunks');
    const r = await syncKnowledge(ctxWith({ EMBEDDINGS_MODEL: 'fake-b' }));
    expect(r).toMatchObject({ added: 0, updated: 0, removed: 0, embedded: chunks });
    expect((await db.query('SELECT DISTINCT model, dim FROM kb_embeddings')).rows).toEqual([{ model: 'fake-b', dim: 32 }]);

    server.dim = 48;
    const r2 = await syncKnowledge(ctxWith({ EMBEDDINGS_MODEL: 'fake-b', EMBEDDINGS_DIM: '48' }));
    expect(r2.embedded).toBe(chunks);
    expect((await db.query('SELECT DISTINCT model, dim FROM kb_embeddings')).rows).toEqual([{ model: 'fake-b', dim: 48 }]);
    expect(await embeddingsMeta(db)).toEqual({ model: 'fake-b', dim: 48 });
    const hits = await searchKnowledge(ctxWith({ EMBEDDINGS_MODEL: 'fake-b', EMBEDDINGS_DIM: '48' }), { text: 'mailbox over quota', lang: 'en' });
    expect(hits[0]?.articleId).toBe('rc-mailbox-full');
  });

  it('keeps full-text search working when the embeddings server fails, and catches up later', async () => {
    const changed = { ...FIXTURES[0]!, title: 'Recipient mailbox is full (over quota)' };
    writeFileSync(join(kb.dir, 'en', `${changed.id}.md`), articleText(changed));
    server.failWith = 400;
    server.dim = 48;
    const env = { EMBEDDINGS_MODEL: 'fake-b', EMBEDDINGS_DIM: '48' };
    try {
      const r = await syncKnowledge(ctxWith(env));
      expect(r.updated).toBe(1);
      expect(r.embedded).toBe(0);
      if (db.features.vector) expect(r.embeddingError).toMatch(/embeddings request to http:\/\/127\.0\.0\.1:\d+\/v1 failed/);
      const hits = await searchKnowledge(ctxWith(env), { text: 'mailbox over quota', lang: 'en' });
      expect(hits[0]?.articleId).toBe('rc-mailbox-full');
    } finally {
      server.failWith = null;
    }
    const again = await syncKnowledge(ctxWith(env));
    expect(again.embedded).toBe(db.features.vector ? await count("SELECT count(*)::int AS n FROM kb_chunks WHERE article_id = 'rc-mailbox-full' AND lang = 'en'") : 0);
  });

  it('refuses a malformed article with its file name and leaves the index as it was', async () => {
    const before = await count('SELECT count(*)::int AS n FROM kb_chunks');
    writeFileSync(join(kb.dir, 'zh', 'broken.md'), '---\nid: broken\nlang: zh\ntitle: [oops\n---\n');
    try {
      await expect(syncKnowledge(ctxWith())).rejects.toThrow(KnowledgeError);
      await expect(syncKnowledge(ctxWith())).rejects.toThrow(/zh\/broken\.md: line 4: list for "title" is not closed/);
      expect(await count('SELECT count(*)::int AS n FROM kb_chunks')).toBe(before);
    } finally {
      rmSync(join(kb.dir, 'zh', 'broken.md'));
    }
  });
});
