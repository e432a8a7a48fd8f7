// Localized title, summary and fix steps per rootCause, with provider-specific variants where the
// fix differs (client settings, admin consoles, delisting portals).
import type { Lang, RootCause } from '../../core/taxonomy.js';
import { EN } from './en.js';
import { isProvider } from './providers.js';
import type { Advice, AdviceTable } from './types.js';
import { ZH } from './zh.js';

export { PROVIDERS, isProvider, type ProviderId } from './providers.js';
export type { Advice } from './types.js';

const TABLES: Record<Lang, AdviceTable> = { en: EN, zh: ZH };

export function localize(rootCause: RootCause, lang: Lang, provider?: string | null): Advice {
  const entry = TABLES[lang][rootCause] ?? TABLES[lang].unknown;
  const variant = isProvider(provider) ? entry.providers?.[provider] : undefined;
  return {
    title: variant?.title ?? entry.title,
    summary: variant?.summary ?? entry.summary,
    steps: [...(variant?.steps ?? entry.steps)],
  };
}
