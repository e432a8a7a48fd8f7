// Yahoo / AOL (Yahoo Inc. postmaster "SMTP error codes").
import { family } from './types.js';

export const yahooRules = family('yahoo', [
  { id: 'yahoo.tss04', reason: 'badreputation', rootCause: 'bad_reputation', specificity: 90,
    phrases: ['[tss04]', '[ts01]', '[ts02]', '[ts03]', 'temporarily deferred due to unexpected volume or user complaints',
      'unexpected volume or user complaints'] },
  { id: 'yahoo.tss09', reason: 'blocked', rootCause: 'bad_reputation', specificity: 90,
    phrases: ['[tss09]', 'will be permanently deferred; retrying will not succeed'] },
  { id: 'yahoo.blocklist', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 90,
    phrases: ['[bl21]', '[bl22]', '[bl23]'] },
  // Yahoo and AOL refuse unknown recipients after DATA ("554 delivery error: dd This user doesn't
  // have a yahoo.com account"): the phase does not make this answer a content filter
  { id: 'yahoo.no_account', reason: 'userunknown', rootCause: 'recipient_unknown', specificity: 90, verdict: true,
    phrases: ["this user doesn't have a", 'this user does not have a'] },
  { id: 'yahoo.disabled', reason: 'suspend', rootCause: 'mailbox_disabled', specificity: 90,
    phrases: ['account has been disabled or discontinued'] },
  { id: 'yahoo.policy', reason: 'policyviolation', rootCause: 'policy_rejected', specificity: 86,
    phrases: ['not accepted for policy reasons'] },
  { id: 'yahoo.unauthenticated', reason: 'authfailure', rootCause: 'dmarc_failure', specificity: 88,
    phrases: ['yahoo requires all senders to authenticate'] },
]);
