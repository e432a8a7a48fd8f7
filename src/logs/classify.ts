// The one place log analysis meets the diagnosis engine. Every failure text found in a log goes
// through classifyFailure(); results are cached by a normalized form of the text (addresses,
// bracketed hosts/IPs and id-like tokens removed) so the engine runs once per distinct message.
import type { Reason, RootCause } from '../core/taxonomy.js';

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
type Engine = (text: string, direction: Direction) => FailureClass;

export interface FixSteps { title: string; summary: string; steps: string[] }
type Localize = (rootCause: RootCause, lang: 'en' | 'zh', provider?: string | null) => FixSteps;

let engine: Engine | null = null;
let engineError: string | null = null;
let localizeFn: Localize | null = null;

/** Loads the team's diagnosis engine once; analysis still runs (rootCause 'unknown') without it. */
export async function loadEngine(): Promise<void> {
  if (engine || engineError) return;
  const modPath = '../diagnosis/index.js';
  try {
    const mod = (await import(modPath)) as {
      classifyText?: (text: string, hints?: { provider?: string | null; direction?: Direction }) => {
        reason: Reason; rootCause: RootCause; confidence: number; provider: string | null; ruleId?: string | null;
        smtp: { replyCode: string | null; enhancedStatus: string | null };
      };
    };
    const classifyText = mod.classifyText;
    if (typeof classifyText !== 'function') throw new Error('src/diagnosis/index.ts exports no classifyText');
    engine = (text, direction) => {
      const c = classifyText(text, { direction });
      return {
        rootCause: c.rootCause, reason: c.reason, confidence: c.confidence, provider: c.provider ?? null,
        replyCode: c.smtp?.replyCode ?? null, enhancedStatus: c.smtp?.enhancedStatus ?? null, ruleId: c.ruleId ?? null,
      };
    };
    const steps = (await import('../diagnosis/steps/index.js' as string).catch(() => null)) as { localize?: Localize } | null;
    if (typeof steps?.localize === 'function') localizeFn = steps.localize;
  } catch (err) {
    engineError = `diagnosis engine not available (${(err as Error).message.split('\n')[0]}); root causes are reported as unknown`;
  }
}

export function engineStatus(): string | null {
  return engineError;
}

/** Fix steps for a root cause from the diagnosis engine's step catalogue (null without it). */
export function fixSteps(rootCause: RootCause, provider: string | null): FixSteps | null {
  if (!localizeFn) return null;
  try {
    return localizeFn(rootCause, 'en', provider);
  } catch {
    return null;
  }
}

const UNKNOWN: FailureClass = {
  rootCause: 'unknown', reason: 'undefined', confidence: 0, provider: null, replyCode: null, enhancedStatus: null, ruleId: null,
};

const isAlnum = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const ENHANCED = /^[245]\.\d{1,3}\.\d{1,3}$/;

/**
 * Cache key for a failure text: `<…>` → `<>`, `[…]` → `[]`, and tokens of letters, digits, dots
 * and colons that contain a digit and are 7+ long (queue ids, IPs, times, host names with numbers)
 * → `#`; enhanced status codes such as 4.7.650 are kept because they decide the class.
 */
export function normalizeFailure(s: string): string {
  let out = '';
  let from = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 60 /* < */ || c === 91 /* [ */) {
      const close = s.indexOf(c === 60 ? '>' : ']', i + 1);
      if (close < 0) break;
      out += s.slice(from, i + 1);
      i = close;
      from = close;
      i++;
      continue;
    }
    if (isAlnum(c)) {
      let j = i;
      let digit = false;
      for (; j < n; j++) {
        const d = s.charCodeAt(j);
        if (d >= 48 && d <= 57) digit = true;
        else if (!(isAlnum(d) || d === 46 || d === 58)) break;
      }
      if (digit && j - i >= 7 && !ENHANCED.test(s.slice(i, j))) {
        out += s.slice(from, i) + '#';
        from = j;
      }
      i = j;
      continue;
    }
    i++;
  }
  return from === 0 ? s : out + s.slice(from);
}

const MAX_CACHE = 100_000;

export class FailureClassifier {
  private cache = new Map<string, FailureClass>();
  calls = 0;

  classify(text: string, direction: Direction): FailureClass {
    const key = (direction === 'inbound' ? 'i' : 'o') + normalizeFailure(text);
    let c = this.cache.get(key);
    if (c === undefined) {
      this.calls++;
      c = engine ? safe(engine, text, direction) : UNKNOWN;
      if (this.cache.size >= MAX_CACHE) this.cache.clear(); // bounded memory on pathological input
      this.cache.set(key, c);
    }
    return c;
  }
}

function safe(e: Engine, text: string, direction: Direction): FailureClass {
  try {
    return e(text, direction);
  } catch {
    return UNKNOWN;
  }
}
