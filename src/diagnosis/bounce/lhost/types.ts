import type { ProviderId } from '../../steps/providers.js';
import type { TextRules } from '../text.js';

/** What a module sees to decide whether the bounce is its MTA's. */
export interface Signature {
  from: string;
  subject: string;
  /** the unfolded top-level header block */
  headers: string;
  /** the human-readable notification text */
  text: string;
}

/** One MTA family: how to recognise its bounces and where its per-recipient text is. */
export interface Lhost {
  id: string;
  provider: ProviderId | null;
  /** any matching test selects the module */
  from?: RegExp;
  subject?: RegExp;
  headers?: RegExp;
  text?: RegExp;
  /** must also match subject + text (for modules selected by sender domain alone) */
  require?: RegExp;
  rules: TextRules;
}

export function matches(m: Lhost, s: Signature): boolean {
  if (m.require && !m.require.test(`${s.subject}\n${s.text}`)) return false;
  return Boolean(
    (m.text && m.text.test(s.text)) ||
    (m.headers && m.headers.test(s.headers)) ||
    (m.from && m.from.test(s.from)) ||
    (m.subject && m.subject.test(s.subject)),
  );
}
