// iCloud Mail (Apple "Mail server error codes" for senders to icloud.com / me.com / mac.com).
import { family } from './types.js';

export const icloudRules = family('icloud', [
  // the owner deactivated the address (it may come back): Sisimai counts it as userunknown
  { id: 'icloud.inactive', reason: 'userunknown', rootCause: 'mailbox_disabled', specificity: 84,
    phrases: ['inactive email address'] },
  { id: 'icloud.volume', reason: 'speeding', rootCause: 'rate_limited', specificity: 86,
    phrases: ['deferred due to excessive volume'] },
  { id: 'icloud.local_policy', reason: 'policyviolation', rootCause: 'policy_rejected', specificity: 86,
    phrases: ['[cs01]', '[hm08]', 'message rejected due to local policy'] },
  { id: 'icloud.reputation', reason: 'badreputation', rootCause: 'bad_reputation', specificity: 86,
    phrases: ['[cs02]', '[hm07]', '[cs03]'] },
]);
