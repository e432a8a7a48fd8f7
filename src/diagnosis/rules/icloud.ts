// iCloud Mail (Apple "Mail server error codes" for senders to icloud.com / me.com / mac.com).
import { family } from './types.js';

export const icloudRules = family('icloud', [
  { id: 'icloud.inactive', reason: 'userunknown', rootCause: 'recipient_unknown', specificity: 84,
    phrases: ['inactive email address'] },
  { id: 'icloud.local_policy', reason: 'policyviolation', rootCause: 'policy_rejected', specificity: 86,
    phrases: ['[cs01]', '[hm08]', 'message rejected due to local policy'] },
  { id: 'icloud.reputation', reason: 'badreputation', rootCause: 'bad_reputation', specificity: 86,
    phrases: ['[cs02]', '[hm07]', '[cs03]'] },
]);
