// DNS blocklist operators. Their names or lookup URLs in a reply mean the sending IP is listed.
import { family } from './types.js';

export const dnsblRules = [
  ...family('spamhaus', [
  { id: 'dnsbl.spamhaus', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 90,
    phrases: ['spamhaus', 'zen.spamhaus.org', 'sbl.spamhaus', 'xbl.spamhaus', 'pbl.spamhaus'] },
  ]),
  ...family('barracuda', [
  { id: 'dnsbl.barracuda', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 88,
    phrases: ['barracudacentral', 'b.barracudacentral.org', 'barracuda reputation'] },
  ]),
  ...family('spamcop', [
  { id: 'dnsbl.spamcop', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 90,
    phrases: ['spamcop'] },
  ]),
  ...family('dnsbl', [
  { id: 'dnsbl.others', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 86,
    phrases: ['sorbs.net', 'dnsbl.sorbs', 'uceprotect', 'cbl.abuseat.org', 'abuseat.org', 'psbl.surriel', 'spamrats', 'mailspike',
      'invaluement', 'dnsbl-lookup', 'dnsbl', 'csi.cloudmark.com', 'sender score', 'senderscore'] },
  { id: 'dnsbl.uri', reason: 'spamdetected', rootCause: 'spam_content', specificity: 92,
    phrases: ['uribl', 'surbl', 'blacklisted url', 'dbl.spamhaus', 'spamhaus dbl', 'listed in dbl'] },
  ]),
];
