// Amazon SES (sending service): replies SES gives its own senders.
import { family } from './types.js';

export const amazonSesRules = family('amazonses', [
  { id: 'amazonses.not_verified', reason: 'norelaying', rootCause: 'relay_denied', specificity: 88,
    phrases: ['email address is not verified', 'identities failed the check'] },
]);

// Amazon SES receiving (Developer Guide, "Bounce action"): the recipient domain's receipt rule
// bounces with a console template. "Mailbox does not exist" is that rule's choice of words, not a
// directory lookup, so it is a filter's refusal.
export const sesInboundRules = family('amazonses', [
  { id: 'amazonses.receipt_rule_no_mailbox', reason: 'filtered', rootCause: 'recipient_unknown', specificity: 92, mta: 'ses-inbound',
    phrases: ['mailbox does not exist'] },
]);
