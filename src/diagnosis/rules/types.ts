// Shape of a signature rule. Rules are data: one file per provider family, each a list of rules.
import type { Reason, RootCause } from '../../core/taxonomy.js';

export interface Rule {
  /** stable id, "<family>.<what>", shown in evidence notes */
  id: string;
  /** provider family the wording comes from ('generic' for wording many servers use) */
  provider: string;
  reason: Reason;
  rootCause: RootCause;
  /**
   * 0..100, how much a match says. Bands: vendor-documented phrase or code 80-95, generic phrase
   * 40-80 (lower when the words also appear in unrelated replies). The highest match wins.
   */
  specificity: number;
  /** any one of these (case-insensitive, whitespace folded, full-width folded) must appear */
  phrases?: string[];
  /** every one of these must also appear */
  all?: string[];
  /** none of these may appear */
  not?: string[];
  /**
   * enhanced status constraint, written without the class: "7.26" (subject.detail) or "6"
   * (any detail of that subject). A rule with `status` but no `phrases` is a code rule.
   */
  status?: string[];
  /**
   * a provider's coded verdict (Orange "OFR_416", Cox "AUP#CXBL"): its reason is kept as is, not
   * re-read from the SMTP phase the reply answered
   */
  verdict?: boolean;
  /**
   * the rule holds only in bounces written by this MTA family (lhost id): a wording whose meaning
   * that MTA documents, e.g. a receipt-rule template that names no directory lookup
   */
  mta?: string;
}

/** Words that identify who answered (in host names, URLs, signatures). */
export interface ProviderMarker {
  provider: string;
  markers: string[];
}

export type RuleInput = Omit<Rule, 'provider'>;

/** Stamps the family name on each rule of a provider file. */
export function family(provider: string, rules: RuleInput[]): Rule[] {
  return rules.map((r) => ({ ...r, provider }));
}
