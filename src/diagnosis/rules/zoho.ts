// Zoho Mail (Zoho "SMTP error codes" help pages).
import { family } from './types.js';

export const zohoRules = family('zoho', [
  { id: 'zoho.outgoing_blocked', reason: 'securityerror', rootCause: 'account_compromised', specificity: 90,
    phrases: ['email outgoing blocked', 'unusual sending activity detected', 'sender address blocked'] },
  { id: 'zoho.recipient_policy', reason: 'policyviolation', rootCause: 'policy_rejected', specificity: 86,
    phrases: ['mailbox delivery restricted by policy', 'mail rejected by destination domain', 'mailbox delivery failure policy error'] },
  { id: 'zoho.relay', reason: 'norelaying', rootCause: 'relay_denied', specificity: 88,
    phrases: ['relaying disallowed', 'sender is not allowed to relay emails'] },
  { id: 'zoho.dmarc', reason: 'authfailure', rootCause: 'dmarc_failure', specificity: 88,
    phrases: ['email rejected per dmarc policy'] },
  { id: 'zoho.spf', reason: 'authfailure', rootCause: 'spf_failure', specificity: 88,
    phrases: ['email rejected per spf policy'] },
]);
