// The one place log analysis meets the diagnosis engine: every failure text found in a log is
// classified by the team's classifyText(), once per distinct normalized text (normalize.ts).
import { classifyText } from '../diagnosis/index.js';
import { localize, type Advice } from '../diagnosis/steps/index.js';
import type { Reason, RootCause } from '../core/taxonomy.js';
import { own } from './addr.js';
import { normalizeFailure } from './normalize.js';

export { normalizeFailure };

export interface FailureClass {
  rootCause: RootCause;
  reason: Reason;
  confidence: number;
  provider: string | null;
  replyCode: string | null;
  enhancedStatus: string | null;
  ruleId: string | null;
}

export type Direction = 'outbound' | 'inbound';

const MAX_CACHE = 100_000;
const copy = (v: string | null | undefined): string | null => (v ? own(v) : null);

export class FailureClassifier {
  private cache = new Map<string, FailureClass>();
  /** distinct texts sent to the engine */
  calls = 0;

  classify(text: string, direction: Direction): FailureClass {
    const key = (direction === 'inbound' ? 'i' : 'o') + normalizeFailure(text);
    let c = this.cache.get(key);
    if (c === undefined) {
      this.calls++;
      const r = classifyText(text, { direction });
      // copies: the engine's strings may be slices of a large log chunk
      c = {
        rootCause: r.rootCause, reason: r.reason, confidence: r.confidence, provider: copy(r.provider),
        replyCode: copy(r.smtp.replyCode), enhancedStatus: copy(r.smtp.enhancedStatus), ruleId: copy(r.ruleId),
      };
      if (this.cache.size >= MAX_CACHE) this.cache.clear(); // bounded memory on pathological input
      this.cache.set(own(key), c);
    }
    return c;
  }
}

/** Fix steps for a root cause from the diagnosis engine's step catalogue. */
export function fixSteps(rootCause: RootCause, provider: string | null): Advice {
  return localize(rootCause, 'en', provider);
}
