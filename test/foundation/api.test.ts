import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DB_BACKENDS } from '../helpers/backends.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

describe.each(DB_BACKENDS)('API foundation on %s', (db) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ db, env: { RATE_LIMIT_PER_MINUTE: '1000', BODY_LIMIT_BYTES: '4096' } });
  });
  afterAll(() => t.close());

  it('answers /healthz, /readyz with each dependency, /metrics and /docs without a key', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const checks = ready.json().checks;
    expect(checks.database).toMatchObject({ status: 'ok', driver: db });
    expect(checks.jobs.status).toBe('ok');
    expect(['ok', 'absent']).toContain(checks.pgvector.status);
    expect(checks.llm.status).toBe('absent');
    const metrics = await t.app.inject({ url: '/metrics' });
    expect(metrics.body).toContain('mailmedic_http_request_duration_seconds_bucket');
    expect(metrics.body).toMatch(/route="\/readyz"/);
    const docs = await t.app.inject({ url: '/docs/json' });
    expect(docs.json().openapi).toMatch(/^3\./);
    expect(Object.keys(docs.json().paths)).toContain('/v1/keys');
    expect((await t.app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('401 for a missing, malformed or unknown key, in the one error shape', async () => {
    const none = await t.app.inject({ url: '/v1/keys' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: expect.stringMatching(/Bearer/) } });
    expect((await t.app.inject({ url: '/v1/keys', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
    expect((await t.as('mm_not-a-real-key', { url: '/v1/keys' })).statusCode).toBe(401);
  });

  it('403 when the role is wrong', async () => {
    const r = await t.as(t.keys.agent, { url: '/v1/keys' });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.code).toBe('forbidden');
    expect((await t.as(t.keys.admin, { url: '/v1/keys' })).statusCode).toBe(200);
  });

  it("404, not 403, for another tenant's object", async () => {
    const mine = (await t.as(t.keys.admin, { url: '/v1/keys' })).json().keys[0].id;
    const r = await t.as(t.keys.otherAdmin, { method: 'DELETE', url: `/v1/keys/${mine}` });
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('not_found');
    // and the key still works
    expect((await t.as(t.keys.admin, { url: '/v1/keys' })).statusCode).toBe(200);
  });

  it('400 with issue paths for invalid bodies; invalid JSON; unknown routes', async () => {
    const bad = await t.as(t.keys.admin, { method: 'POST', url: '/v1/keys', payload: { role: 'root' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'validation_error', details: [{ path: 'body.role' }] });
    const json = await t.as(t.keys.admin, {
      method: 'POST', url: '/v1/keys', payload: '{"role":', headers: { 'content-type': 'application/json' },
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.code).toBe('invalid_json');
    const nf = await t.app.inject({ url: '/v2/nothing' });
    expect(nf.statusCode).toBe(404);
    expect(nf.json().error.code).toBe('not_found');
  });

  it('413 above the body limit, without a stack trace', async () => {
    const r = await t.as(t.keys.admin, { method: 'POST', url: '/v1/keys', payload: { role: 'agent', label: 'x'.repeat(10_000) } });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('payload_too_large');
    expect(r.body).not.toMatch(/\s+at\s/);
  });

  it('creates and revokes keys of its own tenant; revoked keys stop working', async () => {
    const created = await t.as(t.keys.admin, { method: 'POST', url: '/v1/keys', payload: { role: 'agent', label: 'bot' } });
    expect(created.statusCode).toBe(201);
    const { key, record } = created.json();
    expect((await t.as(key, { url: '/v1/keys' })).statusCode).toBe(403); // agent
    expect((await t.as(t.keys.admin, { method: 'DELETE', url: `/v1/keys/${record.id}` })).statusCode).toBe(204);
    expect((await t.as(key, { url: '/v1/keys' })).statusCode).toBe(401);
  });

  it('sends a request id with every response', async () => {
    const r = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers['x-request-id']).toBe('abc-123');
  });
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => t.close());

  it('throttles per key, but never health, metrics or docs', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await t.as(t.keys.admin, { url: '/v1/keys' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await t.as(t.keys.admin, { url: '/v1/keys' });
    expect(limited.json().error.code).toBe('rate_limited');
    // another key has its own budget
    expect((await t.as(t.keys.otherAdmin, { url: '/v1/keys' })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    }
  });
});

describe('keys in URLs', () => {
  it('are accepted only where a route allows it, and never logged', async () => {
    const { Writable } = await import('node:stream');
    const { createLogger } = await import('../../src/app/context.js');
    let logged = '';
    const sink = new Writable({ write(chunk, _enc, cb) { logged += chunk; cb(); } });
    const t = await startTestApp({ log: createLogger({ LOG_LEVEL: 'info' }, sink) });
    try {
      // /v1/keys does not allow it
      expect((await t.app.inject({ url: `/v1/keys?api_key=${t.keys.admin}` })).statusCode).toBe(401);
      // the Chatwoot webhook does (its sender cannot set headers)
      const r = await t.app.inject({ method: 'POST', url: `/v1/integrations/chatwoot/webhook?api_key=${t.keys.agent}`, payload: { event: 'conversation_created' } });
      expect(r.statusCode).toBe(200);
      expect(logged).toContain('api_key=***');
      expect(logged).not.toContain(t.keys.agent);
      expect(logged).not.toContain(t.keys.admin);
    } finally {
      await t.close();
    }
  });
});
