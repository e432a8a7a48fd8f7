// Verdicts a reporting MTA writes into the bounce in a field of its own, besides the reply text.
// A value listed here decides the reason for the recipient(s) it covers, over the wording; a value
// not listed, or the field in a bounce read as another MTA's, leaves the text to decide.
import type { Reason } from '../../core/taxonomy.js';
import { POWERMTA_CATEGORIES } from './powermta.js';

/** One field as the bounce reader found it: name and value, both lower case. */
export interface MtaVerdict {
  field: string;
  value: string;
}

export interface VerdictField {
  /** header or DSN field name, lower case */
  field: string;
  /** 'recipient': a field of each recipient's DSN block; 'message': a header of the bounce itself, for all its recipients */
  scope: 'recipient' | 'message';
  /** only in bounces read as this MTA family's (lhost id), when the field is that MTA's alone */
  mta?: string;
  /** value (lower case) → reason */
  values: Readonly<Record<string, Reason>>;
}

export const MTA_VERDICTS: readonly VerdictField[] = [
  // PowerMTA: X-PowerMTA-BounceCategory in each recipient block (see powermta.ts).
  { field: 'x-powermta-bouncecategory', scope: 'recipient', values: POWERMTA_CATEGORIES },
  // au (KDDI, ezweb.ne.jp / au.com): the returned-mail notice carries "X-SPASIGN: NG" when the
  // recipient's spam filter refused the message. Basis: the Sisimai bounce library's au module
  // (lib/Sisimai/Lhost/EZweb.pm, and its Ruby and Go ports, as bounceHammer before it) documents
  // that a filtered recipient's notice includes this header and reads such notices as 'filtered'.
  { field: 'x-spasign', scope: 'message', mta: 'ezweb', values: { ng: 'filtered' } },
];

/** The reason a verdict field decides, if it decides one for a bounce read as `mta`'s. */
export function verdictReason(v: MtaVerdict | null | undefined, mta: string | null | undefined): Reason | undefined {
  if (!v) return undefined;
  const f = MTA_VERDICTS.find((x) => x.field === v.field);
  if (!f || (f.mta && f.mta !== mta)) return undefined;
  return Object.hasOwn(f.values, v.value) ? f.values[v.value] : undefined;
}

/** The verdict in one set of fields of the given scope (a recipient's DSN block, the bounce's headers). */
export function verdictIn(get: (field: string) => string | undefined | null, scope: VerdictField['scope']): MtaVerdict | null {
  for (const f of MTA_VERDICTS) {
    if (f.scope !== scope) continue;
    const value = get(f.field)?.trim().toLowerCase();
    if (value) return { field: f.field, value };
  }
  return null;
}
