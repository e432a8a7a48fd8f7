// The LLM layer (issue 5): optional explanations, translations and structured completions through
// any OpenAI-compatible endpoint. Everything here degrades to "no model" instead of failing.
export { createLlm, llmFor, llmMetrics, type Llm, type LlmOptions } from './provider.js';
export { completeJson, type CompleteArgs, type CompleteResult } from './complete.js';
export { explainDiagnosis, combinedConfidence, LLM_CONFIDENCE_CAP, type ExplainArgs } from './explain.js';
export { translate, type TranslateArgs, type TranslateResult } from './translate.js';
export { LlmResultSchema, LlmStatus, LlmFailureKind, type LlmResult } from './schema.js';
export { createMasker, type Masker } from './mask.js';
