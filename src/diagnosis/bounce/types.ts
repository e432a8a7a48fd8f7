import type { MtaVerdict } from '../rules/verdicts.js';

export type BounceKind = 'bounce' | 'delay' | 'vacation' | 'feedback' | 'not_bounce';

export interface BounceRecipient {
  recipient: string;
  action: string | null;
  status: string | null;
  replyCode: string | null;
  diagnosticCode: string | null;
  remoteMta: string | null;
  reportingMta: string | null;
  /** SMTP command the rejection answered (RCPT, MAIL, DATA, ...), when the bounce says so */
  command?: string | null;
  /** the Diagnostic-Code type ("smtp", "x-unix", "x-postfix"), lower case, when the DSN names one */
  diagnosticType?: string | null;
  /**
   * the reporting MTA's own verdict on the failure, from a field of its own (rules/verdicts.ts):
   * PowerMTA's X-PowerMTA-BounceCategory for this recipient, or a header of the whole bounce
   */
  verdict?: MtaVerdict | null;
}

export interface BounceReport {
  kind: BounceKind;
  provider: string | null;
  /** id of the MTA family whose layout the report was read with (lhost/index.ts), null when none */
  mta?: string | null;
  /** failed or delayed recipients */
  recipients: BounceRecipient[];
  subject: string | null;
  date: string | null;
  /** the To of the returned original, when the report itself names no recipient */
  originalRecipientHint?: string;
  /** why the input was not (fully) read, e.g. size cap */
  note?: string;
}
