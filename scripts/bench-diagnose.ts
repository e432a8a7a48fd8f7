// Diagnosis benchmarks. Section 1: in-process classifyText throughput per core over the project's
// fixture texts. Section 2: POST /v1/diagnose (deterministic path, knowledge references, stored per
// tenant) against a bare Fastify hello-world route, both loaded by autocannon from a separate
// process at 100 connections in the same run, on PGlite and PostgreSQL: once cycling the fixture
// texts (repeated questions: mostly answered from the diagnosis cache) and once with every text made
// unique (no cache hits: the engine, references and a result row of its own each time).
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pino from 'pino';
import { dirname, join, resolve } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { classifyText, PATTERN_COUNT, RULE_COUNT } from '../src/diagnosis/index.js';
import { loadConfig } from '../src/config.js';
import { closeContext, createContext } from '../src/app/context.js';
import { buildApp } from '../src/api/app.js';
import { syncKnowledge } from '../src/knowledge/index.js';
import { openPglite } from '../src/store/pglite.js';
import type { Db } from '../src/store/index.js';
import { openTestDb, postgresAvailable } from '../test/helpers/backends.js';
import { createApiKey, createTenant } from '../src/store/tenants.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const fixtureDir = join(root, 'test/diagnosis/fixtures');

export interface InProcessResult {
  texts: number;
  calls: number;
  cpuSeconds: number;
  wallSeconds: number;
  /** calls per second of CPU time consumed by this process: throughput per core */
  perCore: number;
  heapUsedMb: number;
  rssMb: number;
}

function loadFixtureTexts(): string[] {
  return readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(fixtureDir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/**
 * In-process classifyText throughput. Warm-up and measurement are budgets of this process's CPU
 * time, so other load on a shared machine neither shortens the JIT warm-up nor counts as our time.
 */
export function benchInProcess(opts: { cpuSeconds?: number; warmupCpuSeconds?: number } = {}): InProcessResult {
  const texts = loadFixtureTexts();
  const runFor = (cpuBudget: number): { calls: number; cpu: number; wall: number } => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let calls = 0;
    let cpu = 0;
    while (cpu < cpuBudget) {
      for (let i = 0; i < texts.length; i++) classifyText(texts[i]!);
      calls += texts.length;
      const used = process.cpuUsage(cpu0);
      cpu = (used.user + used.system) / 1e6;
    }
    return { calls, cpu, wall: (performance.now() - t0) / 1000 };
  };
  runFor(opts.warmupCpuSeconds ?? 2); // let the JIT settle
  const r = runFor(opts.cpuSeconds ?? 4);
  return {
    texts: texts.length,
    calls: r.calls,
    cpuSeconds: r.cpu,
    wallSeconds: r.wall,
    perCore: r.calls / r.cpu,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
    rssMb: process.memoryUsage().rss / 1024 / 1024,
  };
}

async function main(): Promise<void> {
  console.log('== in-process classifyText ==');
  const r = benchInProcess();
  console.log(`rules: ${RULE_COUNT}, distinct phrases: ${PATTERN_COUNT}`);
  console.log(`fixture texts: ${r.texts}; calls: ${r.calls} in ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU`);
  console.log(`throughput: ${Math.round(r.perCore).toLocaleString('en')} texts/s per core (target ≥ 50,000); wall: ${Math.round(r.calls / r.wallSeconds).toLocaleString('en')} texts/s`);
  console.log(`memory: heap used ${r.heapUsedMb.toFixed(1)} MB, RSS ${r.rssMb.toFixed(1)} MB`);

  const row = (name: string, x: LoadResult) =>
    `${name.padEnd(22)} ${Math.round(x.rps).toLocaleString('en').padStart(8)} req/s   p50 ${String(x.p50).padStart(4)} ms   p99 ${String(x.p99).padStart(4)} ms   non-2xx ${x.non2xx}${x.non2xx ? ` (${Object.entries(x.statuses).filter(([c]) => !c.startsWith('2')).map(([c, v]) => `${c}×${v.count}`).join(', ')})` : ''}, errors ${x.errors}`;
  const durationSec = Number(process.env.DURATION ?? 10);
  const backends: Array<['PGlite (embedded default)' | 'PostgreSQL', () => Promise<Db | undefined>]> = [['PGlite (embedded default)', async () => undefined]];
  if (postgresAvailable) backends.push(['PostgreSQL', () => openTestDb('postgres')]);
  for (const [name, open] of backends) {
    console.log(`\n== HTTP on ${name}: POST /v1/diagnose vs a bare Fastify hello-world (autocannon, 100 connections) ==`);
    const db = await open();
    const h = await benchHttp({ durationSec, ...(db ? { db } : {}) });
    console.log(row('hello world', h.hello));
    console.log(row('/v1/diagnose', h.diagnose));
    console.log(row('/v1/diagnose unique', h.unique));
    const ratio = (x: LoadResult) => `${((x.rps / h.hello.rps) * 100).toFixed(1)}%`;
    console.log(`ratio: ${ratio(h.diagnose)} of hello-world req/s (target ≥ 40%); p99 ${h.diagnose.p99} ms (target ≤ 15 ms); cache hits ${(h.diagnose.hitShare * 100).toFixed(1)}%`);
    console.log(`unique texts: ${ratio(h.unique)} of hello-world req/s; p99 ${h.unique.p99} ms; cache hits ${(h.unique.hitShare * 100).toFixed(1)}%`);
    console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (${cpus().length} cores)`);
  }
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, { count: number }>;
}

const run = promisify(execFile);
async function load(spec: Record<string, unknown>): Promise<LoadResult> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/lib/load.ts'), JSON.stringify(spec)], { cwd: root });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}

type DiagnoseResult = LoadResult & { hitShare: number };

export async function benchHttp(opts: { durationSec: number; db?: Db }): Promise<{ hello: LoadResult; diagnose: DiagnoseResult; unique: DiagnoseResult }> {
  const hello = Fastify({ logger: false });
  hello.get('/', async () => ({ hello: 'world' }));
  const helloUrl = await hello.listen({ port: 0, host: '127.0.0.1' });

  // The embedded default (PGlite) unless a database is given; the service's own logging off, as in
  // a quiet production setup.
  const ctx = await createContext(loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '1000000' }), {
    db: opts.db ?? (await openPglite()),
    log: pino({ level: 'silent' }),
  });
  await syncKnowledge(ctx);
  await createTenant(ctx.db, 'bench');
  const { key } = await createApiKey(ctx.db, 'bench', 'agent');
  const app = await buildApp(ctx);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  // blank fixture texts are refused with 400 by design; the load is diagnoses
  const texts = loadFixtureTexts().filter((t) => t.trim()).slice(0, 200);
  const bodies = texts.map((text) => JSON.stringify({ text }));
  // every request a text of its own: autocannon puts a fresh id in place of [<id>]
  const unique = texts.map((text) => JSON.stringify({ text: `${text} (case [<id>])` }));
  const lookups = async () => {
    const values = (await ctx.metrics.registry.getSingleMetric('mailmedic_diagnosis_cache_total')?.get())?.values ?? [];
    const of = (r: string) => values.find((v) => v.labels.result === r)?.value ?? 0;
    return { hit: of('hit'), all: of('hit') + of('miss') + of('bypass') };
  };
  const diagnoseLoad = async (b: string[], durationSec: number, idReplacement = false): Promise<DiagnoseResult> => {
    const before = await lookups();
    const r = await load({ connections: 100, durationSec, idReplacement, url: `${url}/v1/diagnose`, method: 'POST', bodies: b, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } });
    const after = await lookups();
    return { ...r, hitShare: (after.hit - before.hit) / Math.max(1, after.all - before.all) };
  };
  try {
    // warm both up (JIT, caches) before measuring
    await load({ connections: 100, durationSec: 2, url: helloUrl });
    await diagnoseLoad(bodies, 3);
    const helloResult = await load({ connections: 100, durationSec: opts.durationSec, url: helloUrl });
    const diagnose = await diagnoseLoad(bodies, opts.durationSec);
    const uniqueResult = await diagnoseLoad(unique, opts.durationSec, true);
    return { hello: helloResult, diagnose, unique: uniqueResult };
  } finally {
    await hello.close();
    await app.close();
    await closeContext(ctx);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
