// Issue 5 figures, with an OpenAI-compatible server on 127.0.0.1 standing in for the model:
//  1. share of cases answered without any model call (explain=false; target ≥ 90 %),
//  2. cache hit ratio when the same inputs are replayed (target ≥ 95 %),
//  3. per fault mode (slow, 429, 500, malformed): share of POST /v1/diagnose requests answered 200
//     with the deterministic answer within LLM_TIMEOUT_MS + 1 s (LLM_TIMEOUT_MS = 1000 here).
// Inputs: the diagnosis fixtures (test/diagnosis/fixtures/*.jsonl, lines with a `text`) and, when
// present, the Sisimai diagnostic texts in ../shared/eval/sisimai/labels.jsonl.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { Diagnosis } from '../src/core/diagnosis.js';
import type { Lang } from '../src/core/taxonomy.js';
import { diagnose } from '../src/diagnosis/index.js';
import { referencesFor, syncKnowledge } from '../src/knowledge/index.js';
import { explainDiagnosis, llmFor, LlmResultSchema } from '../src/llm/index.js';
import { startTestApp, type TestApp } from '../test/helpers/app.js';
import { promptText, startFakeLlm, type FakeLlm, type FakeReply, type RecordedRequest } from '../test/helpers/fake-llm.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TIMEOUT_MS = 1000;
const FAULT_SAMPLE = 40;
const CONCURRENCY = 5;

interface Case {
  text: string;
  locale?: Lang;
}

function loadSets(): { name: string; cases: Case[] }[] {
  const sets: { name: string; cases: Case[] }[] = [];
  const fixDir = resolve(root, 'test/diagnosis/fixtures');
  const files = existsSync(fixDir) ? readdirSync(fixDir).filter((f) => f.endsWith('.jsonl')) : [];
  const fixtures: Case[] = [];
  for (const f of files) {
    for (const line of readFileSync(resolve(fixDir, f), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as { text?: unknown; locale?: unknown };
      if (typeof o.text === 'string' && o.text.trim()) fixtures.push({ text: o.text, ...(o.locale === 'zh' || o.locale === 'en' ? { locale: o.locale } : {}) });
    }
  }
  if (fixtures.length) sets.push({ name: `diagnosis fixtures (${files.length} files)`, cases: fixtures });
  else console.log(`no fixtures with a "text" field in ${fixDir}`);
  const labels = resolve(root, '../shared/eval/sisimai/labels.jsonl');
  if (existsSync(labels)) {
    const cases = readFileSync(labels, 'utf8').split('\n').filter(Boolean)
      .map((l) => (JSON.parse(l) as { diagnosticcode: string | null }).diagnosticcode)
      .filter((t): t is string => !!t?.trim())
      .map((text) => ({ text }));
    sets.push({ name: 'sisimai diagnostic texts', cases });
  } else console.log(`${labels} not found: sisimai set skipped`);
  return sets;
}

/** A well-behaved model: answers in the asked language and agrees with the engine's finding. */
function goodModel(req: RecordedRequest): FakeReply {
  const text = promptText(req);
  const zh = text.includes('Answer language: Simplified Chinese');
  const rootCause = /"rootCause": "(\w+)"/.exec(text)?.[1] ?? 'unknown';
  return {
    answer: {
      summary: zh ? '根据退信内容，这是对问题原因的说明。' : 'Based on the bounce text, this explains the likely cause.',
      steps: zh ? ['按照知识库文章中的步骤检查设置。'] : ['Check the settings described in the knowledge article.'],
      rootCause,
      confidence: 0.4,
      citations: [],
    },
  };
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)} %`);

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** Evenly spread over all sets, FAULT_SAMPLE cases. */
function sampleOf(sets: { cases: Case[] }[]): Case[] {
  const all = sets.flatMap((s) => s.cases);
  const step = Math.max(1, Math.floor(all.length / FAULT_SAMPLE));
  return all.filter((_, i) => i % step === 0).slice(0, FAULT_SAMPLE);
}

const appEnv = (url: string) => ({
  LLM_BASE_URL: url,
  LLM_MODEL: 'eval-model',
  LLM_TIMEOUT_MS: String(TIMEOUT_MS),
  PROMPTS_DIR: resolve(root, 'prompts'),
  KNOWLEDGE_DIR: resolve(root, 'knowledge'),
});

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** Each fault mode over HTTP; false when /v1/diagnose does not exist. */
async function faultModes(t: TestApp, fake: FakeLlm, sample: Case[], deterministic: Map<string, Diagnosis>, label: string): Promise<boolean> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const post = (body: unknown) =>
    fetch(`${base}/v1/diagnose`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.agent}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  if ((await post({ text: 'probe' })).status === 404) {
    console.log('\nfault modes: POST /v1/diagnose is not registered; nothing measured over HTTP.');
    return false;
  }
  const modes: Record<string, FakeReply> = {
    slow: { answer: { summary: 'late', steps: [], rootCause: 'unknown', confidence: 0, citations: [] }, delayMs: TIMEOUT_MS + 2000 },
    '429': { status: 429, retryAfter: 1 },
    '500': { status: 500 },
    malformed: { answer: 'Sure, here it is: {"summary": "unterminated' },
  };
  console.log(`\nfault modes, ${label}: ${sample.length} POST /v1/diagnose requests each (explain=true, ${CONCURRENCY} at a time), LLM_TIMEOUT_MS=${TIMEOUT_MS}`);
  let round = 0;
  for (const [mode, reply] of Object.entries(modes)) {
    // The endpoint is healthy again before each fault: wait out the cool-down, one good call.
    await new Promise((r) => setTimeout(r, 600));
    fake.setHandler(goodModel);
    await post({ text: `recovery call ${++round}`, explain: true });
    await t.ctx.db.query('DELETE FROM llm_cache');
    fake.setHandler(() => reply);
    let good = 0;
    const times: number[] = [];
    const reasons = new Map<string, number>();
    await pool(sample, CONCURRENCY, async (c) => {
      const t0 = performance.now();
      const res = await post({ text: c.text, explain: true, ...(c.locale ? { locale: c.locale } : {}) });
      const body = (await res.json()) as Diagnosis;
      const ms = performance.now() - t0;
      times.push(ms);
      const d = deterministic.get(c.text)!;
      const llmOut = LlmResultSchema.safeParse(body.llm);
      const reason = llmOut.success ? `${llmOut.data.status}/${llmOut.data.reason ?? '-'}` : 'no llm field';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      if (res.status === 200 && body.rootCause === d.rootCause && body.confidence === d.confidence && ms <= TIMEOUT_MS + 1000) good++;
    });
    times.sort((a, b) => a - b);
    const breakdown = [...reasons].map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(
      `  ${mode.padEnd(9)} 200 + deterministic answer within ${TIMEOUT_MS + 1000} ms: ${good}/${sample.length} = ${pct(good, sample.length)}` +
        ` | p50 ${quantile(times, 0.5).toFixed(0)} ms, p95 ${quantile(times, 0.95).toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms | llm: ${breakdown}`,
    );
  }
  return true;
}

/** Passes 1 and 2 on every set: model calls avoided, then cache hits on replay. */
async function callsAndCache(t: TestApp, fake: FakeLlm, sets: { name: string; cases: Case[] }[], deterministic: Map<string, Diagnosis>) {
  const { ctx } = t;
  await syncKnowledge(ctx);
  const llm = llmFor(ctx)!;
  const threshold = ctx.config.CONFIDENCE_THRESHOLD;
  fake.setHandler(goodModel);
  const run = async (c: Case) => {
    const d = await diagnose({ text: c.text, ...(c.locale ? { locale: c.locale } : {}) }, { confidenceThreshold: threshold });
    deterministic.set(c.text, d);
    const references = await referencesFor(ctx, { rootCause: d.rootCause, lang: d.language, query: c.text, provider: d.provider });
    const before = fake.requests.length;
    const out = await explainDiagnosis(ctx, llm, { diagnosis: d, inputText: c.text, references, explain: false, threshold });
    return { calls: fake.requests.length - before, llm: LlmResultSchema.parse(out.llm) };
  };
  for (const set of sets) {
    await ctx.db.query('DELETE FROM llm_cache');
    let noCall = 0;
    const needed: Case[] = [];
    for (const c of set.cases) {
      if ((await run(c)).calls === 0) noCall++;
      else needed.push(c);
    }
    let hits = 0;
    let replayCalls = 0;
    for (const c of needed) {
      const r = await run(c);
      if (r.llm.status === 'cached') hits++;
      replayCalls += r.calls;
    }
    console.log(`\n[${set.name}] ${set.cases.length} cases, threshold ${threshold}, explain=false`);
    console.log(`  answered without any model call: ${noCall}/${set.cases.length} = ${pct(noCall, set.cases.length)} (target ≥ 90 %)`);
    console.log(`  replay of the ${needed.length} cases that called the model: cache hits ${hits}/${needed.length} = ${pct(hits, needed.length)}, model calls ${replayCalls} (target ≥ 95 %)`);
  }
}

async function main(): Promise<void> {
  const sets = loadSets();
  if (!sets.length) {
    console.log('eval-llm: no input cases, nothing measured.');
    return;
  }
  const fake = await startFakeLlm();
  const deterministic = new Map<string, Diagnosis>();
  try {
    const shipped = await startTestApp({ env: appEnv(fake.url) });
    let routed: boolean;
    try {
      // Short cool-down so a fault mode does not inherit the open breaker of the previous one.
      llmFor(shipped.ctx, { breakerCoolDownMs: 500 });
      await callsAndCache(shipped, fake, sets, deterministic);
      routed = await faultModes(shipped, fake, sampleOf(sets), deterministic, 'breaker as shipped (opens after 5 failures; healthy call between modes)');
    } finally {
      await shipped.close();
    }
    if (!routed) return;
    // Again with the breaker out of the way, so every request takes the full timeout/retry path.
    const open = await startTestApp({ env: appEnv(fake.url) });
    try {
      llmFor(open.ctx, { breakerThreshold: Number.MAX_SAFE_INTEGER });
      await faultModes(open, fake, sampleOf(sets), deterministic, 'breaker disabled (every request reaches the faulty model)');
    } finally {
      await open.close();
    }
  } finally {
    await fake.close();
  }
}

await main();
