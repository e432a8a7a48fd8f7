// NTT docomo (docomo.ne.jp). Its MX accepts RCPT and answers "550 Unknown user" to DATA when the
// recipient's receive-rejection settings refuse the sender: the address exists, the recipient
// refused this sender (Sisimai's reading of the same replies: 'rejected').
import { family } from './types.js';

export const docomoRules = family('docomo', [
  { id: 'docomo.refused_after_data', reason: 'rejected', rootCause: 'policy_rejected', specificity: 86,
    phrases: ['unknown user'], all: ['docomo.ne.jp', 'end of data'] },
  { id: 'docomo.too_much_mail', reason: 'mailboxfull', rootCause: 'mailbox_full', specificity: 86,
    phrases: ['552 too much mail data'] },
]);
