// The model as a second opinion on a Diagnosis, under a fixed policy:
// - it is asked only when the caller wants an explanation or the engine is unsure;
// - a deterministic rootCause other than `unknown` is never replaced (a different answer is recorded
//   as a disagreement and the model's contradicting text is dropped);
// - `unknown` may be filled with a taxonomy rootCause, its confidence capped at LLM_CONFIDENCE_CAP;
// - escalation for low confidence is lifted only when the combined confidence reaches the
//   threshold; escalation for any other reason (security, the user asked) is never touched.
import type { AppContext } from '../app/context.js';
import type { Diagnosis, Reference } from '../core/diagnosis.js';
import { categoryOf } from '../core/taxonomy.js';
import { completeJson } from './complete.js';
import { llmMetrics, type Llm } from './provider.js';
import { ExplainAnswerSchema, inLanguage, type LlmResult } from './schema.js';

/** The most confidence a model's own proposal can carry (below the default threshold of 0.6). */
export const LLM_CONFIDENCE_CAP = 0.5;

export interface ExplainArgs {
  diagnosis: Diagnosis;
  /** what the user sent (redacted again here) */
  inputText: string;
  references: Reference[];
  explain: boolean;
  threshold: number;
}

const answerSchemas = {
  zh: ExplainAnswerSchema.refine((a) => inLanguage([a.summary, ...a.steps].join('\n'), 'zh'), 'answer not in Chinese'),
  en: ExplainAnswerSchema.refine((a) => inLanguage([a.summary, ...a.steps].join('\n'), 'en'), 'answer not in English'),
};

/**
 * Agreement raises a low deterministic confidence by at most half of the remaining gap, scaled by
 * the (capped) model confidence: the model saw the engine's finding, so it is no independent witness.
 */
export function combinedConfidence(deterministic: number, model: number): number {
  return Math.min(1, deterministic + ((1 - deterministic) * model) / 2);
}

function findingsOf(d: Diagnosis) {
  return {
    rootCause: d.rootCause,
    reason: d.reason,
    category: d.category,
    confidence: d.confidence,
    provider: d.provider,
    smtp: d.smtp,
    evidence: d.evidence,
    alternatives: d.alternatives,
    summary: d.summary,
  };
}

function knowledgeOf(refs: Reference[]): string {
  if (refs.length === 0) return '(no knowledge articles matched)';
  return refs.map((r) => `[${r.articleId}] ${r.title}\n${r.snippet}`).join('\n\n');
}

export async function explainDiagnosis(ctx: AppContext, llm: Llm | null, args: ExplainArgs): Promise<Diagnosis> {
  const d = args.diagnosis;
  const needed = args.explain || d.confidence < args.threshold;
  const none = { steps: [], citations: [], applied: false };
  if (!needed || !llm) {
    const llmResult: LlmResult = {
      status: 'skipped',
      reason: needed ? 'not_configured' : 'not_needed',
      model: llm?.model ?? null,
      promptVersion: null,
      ...none,
    };
    llmMetrics(ctx).calls.inc({ status: 'skipped' });
    return { ...d, llm: llmResult };
  }

  const answer = await completeJson(ctx, llm, {
    prompt: 'diagnose-explain',
    lang: d.language,
    schema: answerSchemas[d.language],
    vars: { user_input: args.inputText, findings: findingsOf(d), knowledge: knowledgeOf(args.references) },
  });
  const meta = { model: answer.model, promptVersion: answer.promptVersion };
  if (!answer.value || (answer.status !== 'ok' && answer.status !== 'cached')) {
    return { ...d, llm: { status: answer.status, reason: answer.reason, ...meta, ...none } satisfies LlmResult };
  }

  const a = answer.value;
  const given = new Set(args.references.map((r) => r.articleId));
  const modelConfidence = Math.min(a.confidence, LLM_CONFIDENCE_CAP);
  const result: LlmResult = {
    status: answer.status,
    ...meta,
    summary: a.summary,
    steps: a.steps,
    rootCause: a.rootCause,
    confidence: modelConfidence,
    citations: [...new Set(a.citations.filter((c) => given.has(c)))],
    applied: false,
  };

  let out: Diagnosis = { ...d };
  let combined: number | null = null;
  if (d.rootCause === 'unknown') {
    if (a.rootCause !== 'unknown') {
      combined = modelConfidence;
      result.applied = true;
      out = {
        ...out,
        rootCause: a.rootCause,
        category: categoryOf(a.rootCause),
        confidence: combined,
        // The engine's text is about "unknown"; the model's text is about the cause it proposes.
        summary: a.summary,
        steps: a.steps.length > 0 ? a.steps : d.steps,
        alternatives: [{ rootCause: 'unknown', confidence: d.confidence }, ...d.alternatives],
      };
    }
  } else if (a.rootCause === d.rootCause) {
    if (d.confidence < args.threshold) {
      combined = combinedConfidence(d.confidence, modelConfidence);
      out = { ...out, confidence: combined };
    }
  } else {
    result.disagreement = {
      deterministic: d.rootCause,
      deterministicConfidence: d.confidence,
      model: a.rootCause,
      modelConfidence,
    };
    delete result.summary;
    result.steps = [];
  }

  if (combined !== null && combined >= args.threshold && d.escalate.needed && d.escalate.reason === 'low_confidence') {
    out = { ...out, escalate: { ...d.escalate, needed: false, reason: 'none' } };
  }
  return { ...out, llm: result };
}
