// Confidence scheme (docs/CONFIDENCE.md): what kind of signal decided, how specific it is, whether
// the status code agrees, and how close a competing answer with another root cause came.

export type MatchKind = 'vendor_phrase' | 'generic_phrase' | 'vendor_code' | 'enhanced_code' | 'reply_code' | 'none';

/** Enhanced codes whose registered meaning alone names one root cause. */
const STRONG_CODES = new Set([
  '1.1', '1.2', '1.6', '1.10', '2.1', '2.2', '2.3', '3.4', '4.4', '4.6', '4.7', '7.8', '7.9', '7.10', '7.11', '7.13',
  '7.20', '7.21', '7.22', '7.23', '7.24', '7.25', '7.26', '7.27', '7.30',
]);

export const CONFIDENCE = {
  /** ceiling for a generic phrase, so provider wording always ranks above it */
  genericCap: 0.88,
  strongCode: 0.62,
  weakCode: 0.42,
  replyCode: 0.3,
  /** the enhanced code's own meaning agrees with the phrase */
  corroboration: 0.05,
  /** a competing root cause within this many specificity points lowers confidence */
  conflictWindow: 15,
  max: 0.97,
} as const;

export function codeConfidence(statusKey: string): number {
  return STRONG_CODES.has(statusKey) ? CONFIDENCE.strongCode : CONFIDENCE.weakCode;
}

export interface ConfidenceInput {
  kind: MatchKind;
  /** specificity of the deciding rule (phrases and vendor codes) */
  specificity: number;
  /** subject.detail of the enhanced code when the decision came from it */
  statusKey?: string | null;
  /** the enhanced code's registered meaning names the same root cause */
  corroborated: boolean;
  /** highest specificity among matches naming another root cause, -1 when none */
  competitor: number;
}

export function confidenceOf(input: ConfidenceInput): number {
  let c: number;
  switch (input.kind) {
    case 'vendor_phrase':
    case 'vendor_code':
      c = input.specificity / 100;
      break;
    case 'generic_phrase':
      c = Math.min(input.specificity / 100, CONFIDENCE.genericCap);
      break;
    case 'enhanced_code':
      c = codeConfidence(input.statusKey ?? '');
      break;
    case 'reply_code':
      c = CONFIDENCE.replyCode;
      break;
    case 'none':
      return 0;
  }
  if (input.corroborated && input.kind !== 'enhanced_code') c += CONFIDENCE.corroboration;
  if (input.competitor >= 0) {
    const gap = input.specificity - input.competitor;
    if (gap < CONFIDENCE.conflictWindow) c -= (CONFIDENCE.conflictWindow - Math.max(gap, 0)) / 100;
  }
  return Math.round(Math.min(Math.max(c, 0), CONFIDENCE.max) * 100) / 100;
}
