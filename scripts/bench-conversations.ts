// Conversations under load on PostgreSQL (TEST_DATABASE_URL, in a schema of its own, dropped at
// the end): 500 concurrent conversations × 5 turns each through the HTTP API (in-process inject),
// on the deterministic path (no LLM), with the knowledge base synced so answers cite articles.
// Every turn's latency is measured; errors (non-200) are counted.
//
// Two modes are printed: `chat` — users think 1–3 s between messages (BENCH_THINK_MS=min-max),
// the load a chat front end sees; `burst` — every user fires the next message as soon as the
// answer arrives (no think time), i.e. 500 turns in flight at once: its p99 is queueing on the
// machine's cores, so its throughput is the figure to read.
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/app/context.js';
import { defineJobs } from '../src/app/jobs.js';
import { buildApp } from '../src/api/app.js';
import { syncKnowledge } from '../src/knowledge/index.js';
import { createApiKey, createTenant } from '../src/store/tenants.js';
import { openPostgres } from '../src/store/postgres.js';
import { openTestJobs, postgresAvailable, TEST_DATABASE_URL } from '../test/helpers/backends.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 500);
const [THINK_MIN, THINK_MAX] = (process.env.BENCH_THINK_MS ?? '1000-3000').split('-').map(Number) as [number, number];

const SCRIPTS = {
  zh: ['我的邮件发不出去', '用的 Foxmail 7.2，提示 535 5.7.8 authentication failed', '我改了设置，第二步具体怎么做？', '还是不行', '有人吗'],
  en: ['Mail to partner bounced: 552 5.2.2 Mailbox full', 'They said they cleaned up, should I resend it now?', 'Does the size of attachments matter for this?', 'thanks, it works now', 'one more question: how big can attachments be?'],
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (!postgresAvailable) {
    console.log('PostgreSQL is not reachable (TEST_DATABASE_URL): the conversation benchmark measures on PostgreSQL only; skipped.');
    return;
  }
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: process.env.BENCH_LOG ?? 'silent', DATA_DIR: '/nonexistent', KNOWLEDGE_DIR: resolve(root, 'knowledge'), RATE_LIMIT_PER_MINUTE: '1000000' });
  // a schema of its own, with the pool size production uses (DATABASE_POOL_SIZE)
  const schema = `bench_conv_${process.pid}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const db = await openPostgres(url, config.DATABASE_POOL_SIZE);
  const ctx = await createContext(config, { db, jobs: await openTestJobs('inprocess'), log: pino({ level: config.LOG_LEVEL }) });
  try {
    defineJobs(ctx);
    await ctx.jobs.startWorkers();
    const kb = await syncKnowledge(ctx);
    await createTenant(ctx.db, 'bench');
    // BENCH_KEYS: API keys the users are spread over (1 = one chatbot front end for everyone)
    const keys = await Promise.all(Array.from({ length: Number(process.env.BENCH_KEYS ?? 1) }, async () => (await createApiKey(ctx.db, 'bench', 'agent')).key));
    const app = await buildApp(ctx);
    await app.ready();
    console.log(`PostgreSQL (own schema, pool ${config.DATABASE_POOL_SIZE}), knowledge ${JSON.stringify(kb).slice(0, 80)}; ${CONVERSATIONS} conversations × 5 turns, ${keys.length} API key(s); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

    for (const mode of ['chat', 'burst'] as const) {
      const times: number[] = [];
      let errors = 0;
      const samples: string[] = [];
      const started = performance.now();
      await Promise.all(Array.from({ length: CONVERSATIONS }, async (_, i) => {
        const lang = i % 2 ? 'en' : 'zh';
        const headers = { authorization: `Bearer ${keys[i % keys.length]}` };
        // every tenth zh user shares a mailbox: their hand-overs merge into one ticket
        const mailbox = lang === 'zh' && i % 10 === 0 ? `shared-${mode}@acme.cn` : `u${i}-${mode}@acme.${lang === 'zh' ? 'cn' : 'com'}`;
        if (mode === 'chat') await sleep(Math.random() * THINK_MAX);
        const c = await app.inject({ method: 'POST', url: '/v1/conversations', headers, payload: { channel: 'bench', user: { mailbox } } });
        if (c.statusCode !== 201) {
          errors++;
          return;
        }
        const id = c.json().id as string;
        for (const text of SCRIPTS[lang]) {
          if (mode === 'chat') await sleep(THINK_MIN + Math.random() * (THINK_MAX - THINK_MIN));
          const t0 = performance.now();
          const r = await app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers, payload: { text } });
          times.push(performance.now() - t0);
          if (r.statusCode !== 200) {
            errors++;
            if (samples.length < 3) samples.push(`${r.statusCode} ${r.body.slice(0, 200)}`);
          }
        }
      }));
      const wall = (performance.now() - started) / 1000;
      times.sort((a, b) => a - b);
      const tickets = (await ctx.db.query<{ n: number; m: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE mailbox LIKE 'shared-%')::int AS m FROM tickets WHERE tenant_id = 'bench' AND mailbox LIKE $1`, [`%-${mode}@%`],
      )).rows[0]!;
      console.log(
        `${mode.padEnd(5)}: ${times.length} turns, errors ${errors}, p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms, ` +
        `p99 ${pct(times, 99).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms; ${(times.length / wall).toFixed(0)} turns/s over ${wall.toFixed(1)} s; ` +
        `tickets ${tickets.n} (shared mailbox: ${tickets.m})` + (mode === 'chat' ? ` [think ${THINK_MIN}-${THINK_MAX} ms]` : ''),
      );
      for (const s of samples) console.log(`  error sample: ${s}`);
    }
    // Reference point on the same machine and moment: the cheapest authenticated call (key check + one read).
    const ids = (await ctx.db.query<{ id: string }>(`SELECT id FROM conversations WHERE tenant_id = 'bench' LIMIT $1`, [CONVERSATIONS])).rows.map((r) => r.id);
    const base: number[] = [];
    await Promise.all(ids.map(async (id, i) => {
      for (let k = 0; k < 5; k++) {
        const t0 = performance.now();
        await app.inject({ method: 'GET', url: `/v1/conversations/${id}`, headers: { authorization: `Bearer ${keys[i % keys.length]}` } });
        base.push(performance.now() - t0);
      }
    }));
    base.sort((a, b) => a - b);
    console.log(`baseline GET /v1/conversations/:id, ${base.length} calls at ${ids.length} concurrent: p50 ${pct(base, 50).toFixed(1)} ms, p99 ${pct(base, 99).toFixed(1)} ms; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    await app.close();
  } finally {
    await closeContext(ctx);
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}

await main();
