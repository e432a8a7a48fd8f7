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
import { startTestApp } from '../test/helpers/app.js';
import { promptText, startFakeLlm, type FakeReply, type RecordedRequest } from '../test/helpers/fake-llm.js';

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

async function main(): Promise<void> {
  const sets = loadSets();
  if (!sets.length) {
    console.log('eval-llm: no input cases, nothing measured.');
    return;
  }
  const fake = await startFakeLlm();
  const t = await startTestApp({
    env: {
      LLM_BASE_URL: fake.url,
      LLM_MODEL: 'eval-model',
      LLM_TIMEOUT_MS: String(TIMEOUT_MS),
      PROMPTS_DIR: resolve(root, 'prompts'),
      KNOWLEDGE_DIR: resolve(root, 'knowledge'),
    },
  });
  try {
    const { ctx } = t;
    await syncKnowledge(ctx);
    // Short cool-down so each fault mode below starts with a breaker that lets calls through.
    const llm = llmFor(ctx, { breakerCoolDownMs: 500 })!;
    const threshold = ctx.config.CONFIDENCE_THRESHOLD;
    fake.setHandler(goodModel);

    const deterministic = new Map<string, Diagnosis>();
    const run = async (c: Case, explain: boolean) => {
      const d = await diagnose({ text: c.text, ...(c.locale ? { locale: c.locale } : {}) }, { confidenceThreshold: threshold });
      deterministic.set(c.text, d);
      const references = await referencesFor(ctx, { rootCause: d.rootCause, lang: d.language, query: c.text, provider: d.provider });
      const before = fake.requests.length;
      const out = await explainDiagnosis(ctx, llm, { diagnosis: d, inputText: c.text, references, explain, threshold });
      return { calls: fake.requests.length - before, llm: LlmResultSchema.parse(out.llm) };
    };

    for (const set of sets) {
      await ctx.db.query('DELETE FROM llm_cache');
      let noCall = 0;
      const needed: Case[] = [];
      for (const c of set.cases) {
        const r = await run(c, false);
        if (r.calls === 0) noCall++;
        else needed.push(c);
      }
      let hits = 0;
      let replayCalls = 0;
      for (const c of needed) {
        const r = await run(c, false);
        if (r.llm.status === 'cached') hits++;
        replayCalls += r.calls;
      }
      console.log(`\n[${set.name}] ${set.cases.length} cases, threshold ${threshold}, explain=false`);
      console.log(`  answered without any model call: ${noCall}/${set.cases.length} = ${pct(noCall, set.cases.length)} (target ≥ 90 %)`);
      console.log(`  replay of the ${needed.length} cases that called the model: cache hits ${hits}/${needed.length} = ${pct(hits, needed.length)}, model calls ${replayCalls} (target ≥ 95 %)`);
    }

    // Fault modes through the HTTP API, on a real listening socket.
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const all = sets.flatMap((s) => s.cases);
    const step = Math.max(1, Math.floor(all.length / FAULT_SAMPLE));
    const sample = all.filter((_, i) => i % step === 0).slice(0, FAULT_SAMPLE);
    const probe = await fetch(`${base}/v1/diagnose`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'probe' }),
    });
    if (probe.status === 404) {
      console.log('\nfault modes: POST /v1/diagnose is not registered yet; nothing measured over HTTP.');
      return;
    }
    const modes: Record<string, FakeReply> = {
      slow: { ...goodModel({ body: { model: '', messages: [] }, headers: {} }), delayMs: TIMEOUT_MS + 2000 },
      '429': { status: 429, retryAfter: 1 },
      '500': { status: 500 },
      malformed: { answer: 'Sure, here it is: {"summary": "unterminated' },
    };
    console.log(`\nfault modes: ${sample.length} POST /v1/diagnose requests each (explain=true, ${CONCURRENCY} at a time), LLM_TIMEOUT_MS=${TIMEOUT_MS}`);
    for (const [mode, reply] of Object.entries(modes)) {
      await new Promise((r) => setTimeout(r, 600)); // breaker cool-down
      fake.setHandler(() => reply);
      let good = 0;
      let worst = 0;
      const reasons = new Map<string, number>();
      await pool(sample, CONCURRENCY, async (c) => {
        const t0 = performance.now();
        const res = await fetch(`${base}/v1/diagnose`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.keys.agent}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: c.text, explain: true, ...(c.locale ? { locale: c.locale } : {}) }),
        });
        const ms = performance.now() - t0;
        worst = Math.max(worst, ms);
        const body = (await res.json()) as Diagnosis;
        const d = deterministic.get(c.text)!;
        const llmOut = LlmResultSchema.safeParse(body.llm);
        const reason = llmOut.success ? `${llmOut.data.status}/${llmOut.data.reason ?? '-'}` : 'no llm field';
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        if (res.status === 200 && body.rootCause === d.rootCause && body.confidence === d.confidence && ms <= TIMEOUT_MS + 1000) good++;
      });
      const breakdown = [...reasons].map(([k, v]) => `${k}: ${v}`).join(', ');
      console.log(`  ${mode.padEnd(9)} 200 + deterministic answer within ${TIMEOUT_MS + 1000} ms: ${good}/${sample.length} = ${pct(good, sample.length)}; slowest ${worst.toFixed(0)} ms; llm ${breakdown}`);
    }
  } finally {
    await t.close();
    await fake.close();
  }
}

await main();
