// What the LLM layer adds to a Diagnosis (`diagnosis.llm`), and the JSON shapes models must answer in.
import { z } from 'zod';
import { Lang, RootCauseSchema } from '../core/taxonomy-schemas.js';

export const LLM_STATUSES = ['ok', 'cached', 'skipped', 'unavailable'] as const;
export const LlmStatus = z.enum(LLM_STATUSES);
export type LlmStatus = z.infer<typeof LlmStatus>;

/** Why there is no model answer (skipped / unavailable), or which failure ended the call. */
export const LlmFailureKind = z.enum([
  'not_needed',
  'not_configured',
  'circuit_open',
  'timeout',
  'rate_limited',
  'server_error',
  'connection',
  'bad_request',
  'auth',
  'malformed',
  'schema',
  'internal',
]);
export type LlmFailureKind = z.infer<typeof LlmFailureKind>;

export const LlmResultSchema = z.object({
  status: LlmStatus,
  /** the configured model; null when none is configured */
  model: z.string().nullable(),
  promptVersion: z.string().nullable(),
  reason: LlmFailureKind.optional(),
  /** the model's explanation in the diagnosis language; left out when it contradicts a kept finding */
  summary: z.string().optional(),
  steps: z.array(z.string()),
  /** the rootCause the model proposed and its confidence after the cap */
  rootCause: RootCauseSchema.optional(),
  confidence: z.number().min(0).max(1).optional(),
  /** knowledge article ids the model cited, restricted to the ones it was given */
  citations: z.array(z.string()),
  /** true when the model's rootCause replaced the engine's `unknown` */
  applied: z.boolean(),
  /** the model disagreed with a deterministic rootCause, which was kept */
  disagreement: z
    .object({
      deterministic: RootCauseSchema,
      deterministicConfidence: z.number(),
      model: RootCauseSchema,
      modelConfidence: z.number(),
    })
    .optional(),
});
export type LlmResult = z.infer<typeof LlmResultSchema>;

// --- model answer shapes ------------------------------------------------------------------------

const HAN = /\p{Script=Han}/gu;
const LETTER = /\p{L}/gu;

/** Share of letters that are Chinese characters (0 when there are no letters). */
export function hanShare(text: string): number {
  const letters = text.match(LETTER)?.length ?? 0;
  return letters === 0 ? 0 : (text.match(HAN)?.length ?? 0) / letters;
}

/**
 * A reply written in the requested language: Chinese has a fair share of Han characters (quoted
 * English server messages keep it well below one), English next to none.
 */
export function inLanguage(text: string, lang: Lang): boolean {
  const share = hanShare(text);
  return lang === 'zh' ? share >= 0.1 || (text.match(LETTER)?.length ?? 0) === 0 : share < 0.2;
}

export const ExplainAnswerSchema = z.object({
  summary: z.string().min(1).max(2000),
  steps: z.array(z.string().min(1).max(600)).max(10),
  rootCause: RootCauseSchema,
  confidence: z.number().min(0).max(1),
  citations: z.array(z.string().max(200)).max(20),
});
export type ExplainAnswer = z.infer<typeof ExplainAnswerSchema>;

export const TranslateAnswerSchema = z.object({ text: z.string() });
