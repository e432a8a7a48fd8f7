// Orange (orange.fr, wanadoo.fr) and La Poste (laposte.net): replies end with a documented error
// code, "OFR_506 [506]", "OFR006_102", "LPN007_505", "LPNAAA_101", "OUK_513". The last three digits
// name the cause (Orange postmaster "SMTP error codes OFR", smtpfieldmanual.com/provider/orange);
// the French/English sentence before it is often a generic "Service refuse" that says little.
import type { Reason, RootCause } from '../../core/taxonomy.js';
import { family, type RuleInput } from './types.js';

/** documented code → what it means */
const CODES: [string, Reason, RootCause][] = [
  ['101', 'blocked', 'ip_blocklisted'], // blocked using a public blocklist
  ['102', 'blocked', 'ip_blocklisted'], // source IP blocked for spam incidents
  ['103', 'blocked', 'bad_reputation'], // service refused (reputation)
  ['104', 'toomanyconn', 'rate_limited'], // too many connections, slow down
  ['305', 'securityerror', 'auth_credentials_invalid'], // invalid authentication code
  ['401', 'authfailure', 'spf_failure'], // SPF: not allowed to send mail
  ['402', 'securityerror', 'sender_not_authenticated'], // authentication required
  ['403', 'rejected', 'policy_rejected'], // invalid sender
  ['405', 'rejected', 'policy_rejected'],
  ['415', 'rejected', 'policy_rejected'],
  ['416', 'userunknown', 'recipient_unknown'], // invalid recipient
  ['417', 'mailboxfull', 'mailbox_full'], // recipient over quota
  ['420', 'suspend', 'mailbox_disabled'], // archived recipient
  ['421', 'rejected', 'policy_rejected'], // mail from not owned by user
  ['426', 'suspend', 'mailbox_disabled'], // recipient account blocked
  ['505', 'systemerror', 'server_error'], // service refused, try later (after DATA)
  ['506', 'spamdetected', 'spam_content'], // mail rejected (content)
  ['510', 'blocked', 'bad_reputation'],
  ['514', 'mesgtoobig', 'message_too_large'], // message size limit reached
  ['517', 'authfailure', 'dmarc_failure'], // DMARC verification failed
  ['630', 'policyviolation', 'policy_rejected'], // client host rejected
  ['999', 'blocked', 'bad_reputation'],
];

// "_506" after OFR/LPN/OUK; the prefix is a separate word match so "OFR004_405" and "LPN105_405" both work
const rules: RuleInput[] = CODES.flatMap(([code, reason, rootCause]) =>
  ['ofr', 'lpn', 'ouk'].map((prefix) => ({
    id: `orange.${prefix}_${code}`, reason, rootCause, specificity: 88, phrases: [`_${code}`], all: [prefix], verdict: true,
  })));

export const orangeRules = family('orange', [
  ...rules,
  { id: 'orange.spf_dns', reason: 'authfailure', rootCause: 'spf_failure', specificity: 88,
    phrases: ['spf/dns de votre nom de domaine'] },
]);
