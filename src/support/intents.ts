// Which intents a user message carries, from the phrase lists in data/phrases.ts.
import { PHRASES, type Intent } from './data/phrases.js';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ZH_NEGATION = '(?<!不|不要|不用|别|无需|没有)';
// "I don't need a human", "no need to talk to a person"; "user agent" / "mail transfer agent" are software
const EN_NEGATION = "(?<!\\b(?:don't|do not|no|not|never)(?:\\s+(?:need|want|to|a|an|the|any|talk|speak))*\\s+)(?<!\\b(?:user|transfer|delivery|submission)[\\s-])";

function compile(list: { zh: string[]; en: string[] }): RegExp {
  const zh = list.zh.map((p) => `${ZH_NEGATION}${escape(p)}`);
  const en = list.en.map((p) => `${EN_NEGATION}\\b${escape(p)}${/\w$/.test(p) ? '\\b' : ''}`);
  return new RegExp([...zh, ...en].join('|'), 'i');
}

const MATCHERS = Object.fromEntries(
  (Object.keys(PHRASES) as Intent[]).filter((i) => i !== 'affirm').map((i) => [i, compile(PHRASES[i])]),
) as Record<Exclude<Intent, 'affirm'>, RegExp>;
const AFFIRM = new Set([...PHRASES.affirm.zh, ...PHRASES.affirm.en].map((p) => p.toLowerCase()));

export type Intents = Record<Intent, boolean>;

/** A message "means" yes only when it is little else: "好的，转吧" yes, "好的问题是…" no. */
function isAffirmation(text: string): boolean {
  const bare = text.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, ' ').trim();
  if (AFFIRM.has(bare)) return true;
  const words = bare.split(' ');
  return words.length <= 3 && bare.length <= 12 && AFFIRM.has(words[0]!);
}

export function intentsOf(text: string): Intents {
  const t = text.length > 4000 ? text.slice(0, 4000) : text;
  return {
    human: MATCHERS.human.test(t),
    stillFails: MATCHERS.stillFails.test(t),
    security: MATCHERS.security.test(t),
    outage: MATCHERS.outage.test(t),
    // "not resolved" / "没解决" are caught by the negation look-behinds
    resolved: MATCHERS.resolved.test(t) && !MATCHERS.stillFails.test(t),
    affirm: isAffirmation(t),
    urgent: MATCHERS.urgent.test(t),
  };
}
