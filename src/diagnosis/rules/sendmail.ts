// Sendmail: "... User unknown", "Host unknown (Name server: ...)", deferral and mailer texts.
import { family } from './types.js';

export const sendmailRules = family('sendmail', [
  { id: 'sendmail.host_unknown', reason: 'hostunknown', rootCause: 'recipient_domain_invalid', specificity: 86,
    phrases: ['host unknown (name server', 'host unknown (authoritative answer', 'host unknown'] },
  { id: 'sendmail.name_server_failure', reason: 'networkerror', rootCause: 'mx_misconfigured', specificity: 82,
    phrases: ['host name lookup failure', 'name server timeout'] },
  { id: 'sendmail.connection_refused', reason: 'blocked', rootCause: 'connection_failed', specificity: 66,
    phrases: ['connection refused by'] },
  { id: 'sendmail.timeout', reason: 'expired', rootCause: 'connection_failed', specificity: 66,
    phrases: ['connection timed out during', 'connection timed out with'] },
  { id: 'sendmail.operating_system', reason: 'mailererror', rootCause: 'server_error', specificity: 80,
    phrases: ['operating system error', 'unknown mailer error'] },
  { id: 'sendmail.ip_name_lookup', reason: 'requireptr', rootCause: 'ptr_missing', specificity: 84,
    phrases: ['ip name lookup failed', 'ip name possibly forged'] },
  { id: 'sendmail.headers_too_large', reason: 'contenterror', rootCause: 'protocol_error', specificity: 87,
    phrases: ['headers too large', 'improper use of 8-bit data'] },
  { id: 'sendmail.insufficient_disk', reason: 'systemfull', rootCause: 'server_error', specificity: 84,
    phrases: ['insufficient disk space'] },
  { id: 'sendmail.relaying_denied', reason: 'norelaying', rootCause: 'relay_denied', specificity: 88,
    phrases: ['relaying denied', 'we do not relay'] },
  { id: 'sendmail.prra', reason: 'rejected', rootCause: 'protocol_error', specificity: 80,
    phrases: ["can't determine purported responsible address"] },
]);
