// Agent ↔ user relay: free text into the other language. Text already in the target language is
// returned as it is without a call; without a model the original comes back with status
// 'unavailable', so a relay never blocks on translation.
import type { AppContext } from '../app/context.js';
import { redact } from '../core/redact.js';
import type { Lang } from '../core/taxonomy.js';
import { completeJson } from './complete.js';
import { llmMetrics, type Llm } from './provider.js';
import { TranslateAnswerSchema, hanShare, inLanguage } from './schema.js';

export interface TranslateArgs {
  text: string;
  target: Lang;
  source?: Lang;
}

export interface TranslateResult {
  /** the translation; the original text when status is not ok/cached */
  text: string;
  status: 'ok' | 'cached' | 'skipped' | 'unavailable';
  model: string | null;
  promptVersion: string | null;
}

const answerSchemas = {
  zh: TranslateAnswerSchema.refine((a) => inLanguage(a.text, 'zh'), 'translation not in Chinese'),
  en: TranslateAnswerSchema.refine((a) => inLanguage(a.text, 'en'), 'translation not in English'),
};

/** Source language as given, else guessed: the two languages we serve differ in script. */
const sourceOf = (text: string, source?: Lang): Lang => source ?? (hanShare(text) > 0.2 ? 'zh' : 'en');

export async function translate(ctx: AppContext, llm: Llm | null, args: TranslateArgs): Promise<TranslateResult> {
  // Secrets never go to the model, and never come back in the relayed text either.
  const text = redact(args.text).text;
  const noLetters = !/\p{L}/u.test(text);
  if (noLetters || sourceOf(text, args.source) === args.target) {
    llmMetrics(ctx).calls.inc({ status: 'skipped' });
    return { text, status: 'skipped', model: llm?.model ?? null, promptVersion: null };
  }
  if (!llm) return { text, status: 'unavailable', model: null, promptVersion: null };
  const r = await completeJson(ctx, llm, { prompt: 'translate', lang: args.target, schema: answerSchemas[args.target], vars: { text } });
  return {
    text: r.value?.text ?? text,
    status: r.status,
    model: r.model,
    promptVersion: r.promptVersion,
  };
}
