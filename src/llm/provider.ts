// One model endpoint per process: the OpenAI-compatible client, the prompts loaded at start-up,
// the answer cache and the circuit breaker. Null when no model is configured.
import { resolve } from 'node:path';
import OpenAI from 'openai';
import type { AppContext } from '../app/context.js';
import { CircuitBreaker } from './breaker.js';
import { LlmCache } from './cache.js';
import { loadPrompts, type PromptSet } from './prompts.js';

/** How the answer format is requested; servers without structured output get the weaker modes. */
export type ResponseFormatMode = 'json_schema' | 'json_object' | 'none';

export interface Llm {
  readonly model: string;
  readonly client: OpenAI;
  readonly prompts: PromptSet;
  readonly cache: LlmCache;
  readonly breaker: CircuitBreaker;
  /** the strongest mode the server has accepted; lowered once a weaker one is proven to work */
  responseFormat: ResponseFormatMode;
}

export interface LlmOptions {
  /** consecutive failed calls that open the breaker */
  breakerThreshold?: number;
  breakerCoolDownMs?: number;
}

export function createLlm(ctx: AppContext, opts: LlmOptions = {}): Llm | null {
  const { LLM_BASE_URL, LLM_MODEL, LLM_API_KEY, LLM_TIMEOUT_MS, LLM_CACHE_TTL_SECONDS, PROMPTS_DIR } = ctx.config;
  if (!LLM_BASE_URL || !LLM_MODEL) return null;
  return {
    model: LLM_MODEL,
    client: new OpenAI({
      baseURL: LLM_BASE_URL,
      // Local servers (Ollama, vLLM) need no key, but the SDK insists on one.
      apiKey: LLM_API_KEY || 'unused',
      timeout: LLM_TIMEOUT_MS,
      // Retries are ours (complete.ts): they must fit the per-call time budget, and the SDK would
      // sleep for whatever retry-after asks.
      maxRetries: 0,
    }),
    prompts: loadPrompts(resolve(PROMPTS_DIR)),
    cache: new LlmCache(ctx.db, LLM_CACHE_TTL_SECONDS, (err) => ctx.log.warn({ err }, 'llm cache unavailable')),
    breaker: new CircuitBreaker({ threshold: opts.breakerThreshold ?? 5, coolDownMs: opts.breakerCoolDownMs ?? 30_000 }),
    responseFormat: 'json_schema',
  };
}

const perContext = new WeakMap<AppContext, Llm | null>();

/**
 * The process's model endpoint: one breaker and one cache for every route and job using ctx.
 * opts apply when it is first created.
 */
export function llmFor(ctx: AppContext, opts?: LlmOptions): Llm | null {
  if (!perContext.has(ctx)) perContext.set(ctx, createLlm(ctx, opts));
  return perContext.get(ctx)!;
}

export function llmMetrics(ctx: AppContext) {
  const m = ctx.metrics;
  return {
    calls: m.counter('mailmedic_llm_calls_total', 'LLM requests by outcome (ok, cached, skipped, unavailable)', ['status']),
    tokens: m.counter('mailmedic_llm_tokens_total', 'LLM tokens by direction (in = prompt, out = completion)', ['direction']),
    latency: m.histogram('mailmedic_llm_latency_seconds', 'Latency of one HTTP attempt to the model', [], [
      0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60,
    ]),
    cache: m.counter('mailmedic_llm_cache_total', 'LLM cache lookups by result (hit, miss)', ['result']),
    failures: m.counter('mailmedic_llm_failures_total', 'Failed LLM attempts by kind', ['kind']),
  };
}
