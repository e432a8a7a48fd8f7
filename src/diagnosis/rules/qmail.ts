// qmail / netqmail / vpopmail: the "Sorry, ..." texts and the (#x.y.z) codes they carry.
import { family } from './types.js';

export const qmailRules = family('qmail', [
  { id: 'qmail.no_mailbox', reason: 'userunknown', rootCause: 'recipient_unknown', specificity: 88,
    phrases: ['no mailbox here by that name', 'chkusr'] },
  { id: 'qmail.no_host', reason: 'hostunknown', rootCause: 'recipient_domain_invalid', specificity: 88,
    phrases: ["couldn't find any host named", 'could not find any host named'] },
  { id: 'qmail.no_mx', reason: 'notaccept', rootCause: 'recipient_domain_invalid', specificity: 86,
    phrases: ["couldn't find a mail exchanger or ip address"] },
  { id: 'qmail.no_connection', reason: 'networkerror', rootCause: 'connection_failed', specificity: 84,
    phrases: ["wasn't able to establish an smtp connection"] },
  { id: 'qmail.name_rejected', reason: 'blocked', rootCause: 'protocol_error', specificity: 84,
    phrases: ['but my name was rejected'] },
  { id: 'qmail.sender_rejected', reason: 'rejected', rootCause: 'policy_rejected', specificity: 70,
    phrases: ['but sender was rejected'] },
  { id: 'qmail.queue_too_long', reason: 'expired', rootCause: 'message_expired', specificity: 45,
    phrases: ['this message has been in the queue too long'] },
]);
