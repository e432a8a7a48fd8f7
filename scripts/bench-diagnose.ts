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
}

function loadFixtureTexts(): string[] {
  return readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(fixtureDir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/** In-process classifyText throughput, measured on CPU time so other load on the machine does not count. */
export function benchInProcess(opts: { seconds?: number; warmupSeconds?: number } = {}): InProcessResult {
  const texts = loadFixtureTexts();
  const runFor = (seconds: number): { calls: number; cpu: number; wall: number } => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let calls = 0;
    while (performance.now() - t0 < seconds * 1000) {
      for (let i = 0; i < texts.length; i++) classifyText(texts[i]!);
      calls += texts.length;
    }
    const cpu = process.cpuUsage(cpu0);
    return { calls, cpu: (cpu.user + cpu.system) / 1e6, wall: (performance.now() - t0) / 1000 };
  };
  runFor(opts.warmupSeconds ?? 2); // let the JIT settle
  const r = runFor(opts.seconds ?? 5);
  return {
    texts: texts.length,
    calls: r.calls,
    cpuSeconds: r.cpu,
    wallSeconds: r.wall,
    perCore: r.calls / r.cpu,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
  };
}

async function main(): Promise<void> {
  console.log('== in-process classifyText ==');
  const r = benchInProcess();
  console.log(`rules: ${RULE_COUNT}, distinct phrases: ${PATTERN_COUNT}`);
  console.log(`fixture texts: ${r.texts}; calls: ${r.calls} in ${r.wallSeconds.toFixed(1)} s wall, ${r.cpuSeconds.toFixed(1)} s CPU`);
  console.log(`throughput: ${Math.round(r.perCore).toLocaleString('en')} texts/s per core (target ≥ 50,000); wall: ${Math.round(r.calls / r.wallSeconds).toLocaleString('en')} texts/s`);
  console.log(`heap used: ${r.heapUsedMb.toFixed(1)} MB`);

  // == HTTP section (integrator): /v1/diagnose vs bare Fastify hello-world with autocannon ==
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
