// Other senders and filters whose wording is documented: Amazon SES, Mimecast, Orange/La Poste,
// GoDaddy, Comcast, Mail.ru.
import { family } from './types.js';

export const otherRules = family('others', [
  { id: 'amazonses.not_verified', reason: 'norelaying', rootCause: 'relay_denied', specificity: 88,
    phrases: ['email address is not verified', 'identities failed the check'] },
  { id: 'mimecast.security', reason: 'virusdetected', rootCause: 'virus_detected', specificity: 80,
    phrases: ['rejected due to security policies'] },
  { id: 'orange.spam_ip', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 86,
    phrases: ['client host blocked for spamming issues', 'bloquee pour incident de spam'] },
  { id: 'orange.invalid_recipient', reason: 'userunknown', rootCause: 'recipient_unknown', specificity: 86,
    phrases: ['adresse destinataire invalide', "adresse d au moins un destinataire invalide"] },
  { id: 'orange.account_blocked', reason: 'suspend', rootCause: 'mailbox_disabled', specificity: 86,
    phrases: ['le compte du destinataire est bloque'] },
  { id: 'orange.mail_rejected', reason: 'spamdetected', rootCause: 'spam_content', specificity: 80,
    phrases: ['mail rejete'] },
  { id: 'godaddy.from_domain', reason: 'rejected', rootCause: 'sender_domain_invalid', specificity: 86,
    phrases: ['from: domain is invalid'] },
  { id: 'mailru.dmarc', reason: 'authfailure', rootCause: 'dmarc_failure', specificity: 88,
    phrases: ['owner dmarc policy'] },
]);
