// One structured model call: redact and mask the data, render the prompt, look in the cache, call
// the model within one time budget (retrying 429/5xx with backoff and a malformed answer once),
// validate the JSON with zod, unmask. It never throws: every failure is `status: 'unavailable'`.
import { setTimeout as sleep } from 'node:timers/promises';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { AppContext } from '../app/context.js';
import { redact } from '../core/redact.js';
import { ROOT_CAUSES, type Lang } from '../core/taxonomy.js';
import { cacheKey } from './cache.js';
import { createMasker, mapStrings } from './mask.js';
import { PromptError, render } from './prompts.js';
import { llmMetrics, type Llm, type ResponseFormatMode } from './provider.js';
import type { LlmFailureKind } from './schema.js';

export interface CompleteArgs<T> {
  /** prompt name (file name in prompts/ without .md) */
  prompt: string;
  /** caller data: strings as they are, anything else as JSON; always sent as delimited data */
  vars: Record<string, unknown>;
  schema: z.ZodType<T>;
  lang: Lang;
}

export interface CompleteResult<T> {
  status: 'ok' | 'cached' | 'skipped' | 'unavailable';
  value?: T;
  reason?: LlmFailureKind;
  model: string | null;
  promptVersion: string | null;
}

/** Longest data value sent (characters): bounds cost and latency; longer text is cut. */
export const MAX_DATA_CHARS = 24_000;
const LANGUAGE_NAMES: Record<Lang, string> = { zh: 'Simplified Chinese (简体中文)', en: 'English' };
const DOWNGRADE: Record<ResponseFormatMode, ResponseFormatMode | null> = {
  json_schema: 'json_object',
  json_object: 'none',
  none: null,
};

class AnswerError extends Error {
  constructor(readonly kind: 'malformed' | 'schema') {
    super(kind);
  }
}

const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>();
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let js = jsonSchemas.get(schema);
  if (!js) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    js = rest;
    jsonSchemas.set(schema, js);
  }
  return js;
}

function toData(value: unknown): string {
  const raw = typeof value === 'string' ? value : JSON.stringify(value, null, 1);
  // Redact a generous prefix only (a secret cannot straddle the far end of it and the cut).
  const text = redact(raw.slice(0, 2 * MAX_DATA_CHARS)).text;
  return raw.length <= MAX_DATA_CHARS && text.length <= MAX_DATA_CHARS
    ? text
    : `${text.slice(0, MAX_DATA_CHARS)}\n[... the rest of ${raw.length} characters not shown]`;
}

/** Models wrap JSON in code fences or add a sentence around it; take the outermost object. */
function parseAnswer(content: string): unknown {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end < start) throw new AnswerError('malformed');
  try {
    return JSON.parse(content.slice(start, end + 1));
  } catch {
    throw new AnswerError('malformed');
  }
}

function failureKind(err: unknown): LlmFailureKind {
  if (err instanceof AnswerError) return err.kind;
  if (err instanceof APIConnectionTimeoutError || err instanceof APIUserAbortError) return 'timeout';
  if (err instanceof APIConnectionError) return 'connection';
  if (err instanceof APIError) {
    const s = err.status ?? 0;
    if (s === 429) return 'rate_limited';
    if (s === 408) return 'timeout';
    if (s === 401 || s === 403) return 'auth';
    if (s >= 500) return 'server_error';
    if (s >= 400) return 'bad_request';
  }
  return 'internal';
}

const RETRYABLE = new Set<LlmFailureKind>(['rate_limited', 'server_error', 'connection']);

/** Wait asked for by the server (retry-after-ms, retry-after in seconds or as a date), in ms. */
function retryAfterMs(err: unknown): number | null {
  const headers = err instanceof APIError ? err.headers : undefined;
  if (!headers) return null;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return Math.max(0, ms);
  const ra = headers.get('retry-after');
  if (!ra) return null;
  const secs = Number.parseFloat(ra);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(ra);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : null;
}

const backoffMs = (attempt: number): number => Math.min(4000, 250 * 2 ** attempt) * (0.75 + Math.random() * 0.25);

function responseFormat(mode: ResponseFormatMode, name: string, schema: z.ZodType) {
  if (mode === 'json_schema') {
    return { response_format: { type: 'json_schema' as const, json_schema: { name, schema: jsonSchemaOf(schema), strict: false } } };
  }
  return mode === 'json_object' ? { response_format: { type: 'json_object' as const } } : {};
}

export async function completeJson<T>(ctx: AppContext, llm: Llm | null, args: CompleteArgs<T>): Promise<CompleteResult<T>> {
  const metrics = llmMetrics(ctx);
  if (!llm) {
    metrics.calls.inc({ status: 'skipped' });
    return { status: 'skipped', reason: 'not_configured', model: null, promptVersion: null };
  }
  const prompt = llm.prompts.get(args.prompt);
  const base = { model: llm.model, promptVersion: prompt?.version ?? null };
  const unavailable = (reason: LlmFailureKind): CompleteResult<T> => {
    metrics.calls.inc({ status: 'unavailable' });
    return { status: 'unavailable', reason, ...base };
  };
  let acquired = false;
  try {
    if (!prompt) throw new PromptError(`no prompt named "${args.prompt}" in ${ctx.config.PROMPTS_DIR}`);
    const masker = createMasker(ctx.config.LLM_MASK_IDENTIFIERS);
    const data = Object.fromEntries(Object.entries(args.vars).map(([k, v]) => [k, masker.mask(toData(v))]));
    const builtins = {
      lang: args.lang,
      language: LANGUAGE_NAMES[args.lang],
      schema: JSON.stringify(jsonSchemaOf(args.schema)),
      root_causes: ROOT_CAUSES.join(', '),
    };
    const messages = [
      { role: 'system' as const, content: render(prompt.system, data, builtins) },
      { role: 'user' as const, content: render(prompt.user, data, builtins) },
    ];
    const keyParts = { model: llm.model, prompt: prompt.name, promptVersion: prompt.version, lang: args.lang };
    const key = cacheKey({ ...keyParts, input: JSON.stringify(messages) });
    const finish = (value: T): T => mapStrings(value, masker.unmask);

    const cached = args.schema.safeParse(await llm.cache.get(key));
    if (cached.success && cached.data !== undefined) {
      metrics.cache.inc({ result: 'hit' });
      metrics.calls.inc({ status: 'cached' });
      return { status: 'cached', value: finish(cached.data), ...base };
    }
    metrics.cache.inc({ result: 'miss' });
    if (!llm.breaker.tryAcquire()) {
      metrics.failures.inc({ kind: 'circuit_open' });
      return unavailable('circuit_open');
    }
    acquired = true;

    const deadline = Date.now() + ctx.config.LLM_TIMEOUT_MS;
    let mode = llm.responseFormat;
    let transportRetries = 0;
    let answerRetries = 0;
    let lastError: unknown;
    for (;;) {
      const remaining = deadline - Date.now();
      let kind: LlmFailureKind = 'timeout';
      if (remaining > 0) {
        const body: ChatCompletionCreateParamsNonStreaming = {
          model: llm.model,
          messages,
          temperature: 0,
          ...responseFormat(mode, prompt.name, args.schema),
        };
        const started = performance.now();
        try {
          const completion = await llm.client.chat.completions.create(body, {
            timeout: remaining,
            signal: AbortSignal.timeout(remaining),
            maxRetries: 0,
          });
          metrics.latency.observe((performance.now() - started) / 1000);
          metrics.tokens.inc({ direction: 'in' }, completion.usage?.prompt_tokens ?? 0);
          metrics.tokens.inc({ direction: 'out' }, completion.usage?.completion_tokens ?? 0);
          const parsed = args.schema.safeParse(parseAnswer(completion.choices[0]?.message?.content ?? ''));
          if (!parsed.success) throw new AnswerError('schema');
          llm.breaker.success();
          llm.responseFormat = mode;
          await llm.cache.put(key, keyParts, parsed.data);
          metrics.calls.inc({ status: 'ok' });
          return { status: 'ok', value: finish(parsed.data), ...base };
        } catch (err) {
          metrics.latency.observe((performance.now() - started) / 1000);
          lastError = err;
          kind = failureKind(err);
          if (kind === 'internal') throw err;
        }
      }
      metrics.failures.inc({ kind });
      const left = deadline - Date.now();
      // A server that rejects the answer format gets the next weaker one, at once.
      if (kind === 'bad_request' && DOWNGRADE[mode] && left > 0) {
        mode = DOWNGRADE[mode]!;
        continue;
      }
      if ((kind === 'malformed' || kind === 'schema') && answerRetries < 1 && left > 0) {
        answerRetries += 1;
        continue;
      }
      if (RETRYABLE.has(kind) && transportRetries < ctx.config.LLM_MAX_RETRIES) {
        const wait = retryAfterMs(lastError) ?? backoffMs(transportRetries);
        // Not worth starting an attempt that cannot finish within the budget.
        if (wait + 50 < left) {
          transportRetries += 1;
          await sleep(wait);
          continue;
        }
      }
      llm.breaker.failure();
      ctx.log.warn({ kind, prompt: prompt.name, model: llm.model }, 'llm call failed; answering without the model');
      return unavailable(kind);
    }
  } catch (err) {
    if (acquired) llm.breaker.failure();
    ctx.log.error({ err, prompt: args.prompt }, 'llm layer error; answering without the model');
    metrics.failures.inc({ kind: 'internal' });
    return unavailable('internal');
  }
}
