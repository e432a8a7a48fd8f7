// Diagnosis benchmarks. Section 1 (here): in-process classifyText throughput per core over the
// project's fixture texts. Section 2 (HTTP: /v1/diagnose vs a bare Fastify route, autocannon) is
// appended by the API integration; it goes in the marked place at the bottom of main().
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyText, PATTERN_COUNT, RULE_COUNT } from '../src/diagnosis/index.js';

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

  // == HTTP section (integrator): /v1/diagnose vs bare Fastify hello-world with autocannon ==
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
