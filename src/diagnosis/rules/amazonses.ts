// Amazon SES (sending service): replies SES gives its own senders.
import { family } from './types.js';

export const amazonSesRules = family('amazonses', [
  { id: 'amazonses.not_verified', reason: 'norelaying', rootCause: 'relay_denied', specificity: 88,
    phrases: ['email address is not verified', 'identities failed the check'] },
]);
