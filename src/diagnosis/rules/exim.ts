// Exim: router/transport failures and the phrases Exim servers answer with.
import { family } from './types.js';

export const eximRules = family('exim', [
  { id: 'exim.unrouteable', reason: 'hostunknown', rootCause: 'recipient_domain_invalid', specificity: 84,
    phrases: ['unrouteable address', 'unroutable address'], not: ['sender address'] },
  { id: 'exim.unrouteable_sender', reason: 'rejected', rootCause: 'sender_domain_invalid', specificity: 88,
    phrases: ['unrouteable sender address', 'unroutable sender address', 'sender verify failed'] },
  { id: 'exim.retry_timeout', reason: 'expired', rootCause: 'message_expired', specificity: 66,
    phrases: ['retry timeout exceeded', 'retry time not reached for any host', 'all hosts have been failing for a long time'] },
  { id: 'exim.incorrect_auth', reason: 'securityerror', rootCause: 'auth_credentials_invalid', specificity: 88,
    phrases: ['incorrect authentication data'] },
  { id: 'exim.line_limit', reason: 'mesgtoobig', rootCause: 'message_too_large', specificity: 80,
    phrases: ['message too big'] },
  { id: 'exim.mailbox_full', reason: 'mailboxfull', rootCause: 'mailbox_full', specificity: 84,
    phrases: ['mailbox is full', 'quota exceeded'] },
  { id: 'exim.pipe', reason: 'mailererror', rootCause: 'server_error', specificity: 76,
    phrases: ['pipe to |', 'child process of', 'returned: 75'] },
  { id: 'exim.rdns', reason: 'requireptr', rootCause: 'ptr_missing', specificity: 86,
    phrases: ['reverse dns required', 'no ptr record found', 'fix reverse dns', 'invalid rdns record', 'with no reverse dns'] },
  { id: 'exim.cpanel_domain', reason: 'hostunknown', rootCause: 'recipient_domain_invalid', specificity: 70,
    phrases: ['account or domain may not exist'] },
  { id: 'exim.bad_address', reason: 'syntaxerror', rootCause: 'protocol_error', specificity: 84,
    phrases: ['recipient addresses that were incorrectly constructed'] },
  { id: 'exim.malformed', reason: 'syntaxerror', rootCause: 'protocol_error', specificity: 80,
    phrases: ['malformed address', 'syntax error in'] },
]);
