// US cable ISPs that end a refusal with a documented code instead of telling words:
// Cox ("AUP#CXBL", cox.com "Email error codes"), Spectrum/Charter ("AUP#In-1310", "AUP#O1500",
// spectrum.net "Understanding email error codes") and Comcast ("BL000001", "ES000010",
// postmaster.comcast.net "Mail delivery error codes"). The code, not the sentence ("sender
// rejected"), says what happened.
import type { Reason, RootCause } from '../../core/taxonomy.js';
import { family, type RuleInput } from './types.js';

const COX: [string[], Reason, RootCause][] = [
  [['cxbl', 'cdrbl'], 'blocked', 'bad_reputation'], // IP blocked for spam-like behaviour
  [['cxdns'], 'requireptr', 'ptr_missing'], // reverse DNS of the connecting IP fails
  [['cxsndr'], 'authfailure', 'dmarc_failure'], // SPF/DKIM/DomainKeys checks of the sending domain failed
  [['cxsmtp'], 'rejected', 'protocol_error'], // SMTP protocol violation
  [['cxcnct'], 'toomanyconn', 'rate_limited'], // too many concurrent connections
  [['cxmxrt'], 'toomanyconn', 'sending_quota_exceeded'], // too many recipients sent
  [['cxthrt', 'cxmj'], 'securityerror', 'account_compromised'], // suspicious account activity
  [['ipbl'], 'blocked', 'ip_blocklisted'], // IPBL0001 ... IPBL1111: listed on DNSBLs
  [['urlbl'], 'spamdetected', 'spam_content'], // a URL in the body is on a URI blocklist
];

/** Spectrum code ranges (documented in tens) → meaning. */
const SPECTRUM: [number, number, Reason, RootCause][] = [
  [1000, 1000, 'blocked', 'bad_reputation'], // IP blocked for suspicious activity
  [1010, 1080, 'rejected', 'account_compromised'], // sending account blocked or limited
  [1090, 1090, 'systemerror', 'server_error'],
  [1100, 1150, 'requireptr', 'ptr_missing'], // full-circle DNS required
  [1160, 1190, 'policyviolation', 'policy_rejected'], // against the domain's security policy
  [1200, 1250, 'blocked', 'ip_blocklisted'], // Cloudmark CSI / Spamhaus listings
  [1260, 1260, 'networkerror', 'connection_failed'], // IPv6 not accepted
  [1300, 1340, 'toomanyconn', 'rate_limited'], // connection limits
  [1350, 1490, 'speeding', 'rate_limited'], // message / recipient volume limits
  [1500, 1520, 'rejected', 'sender_not_authenticated'], // sending as another address or domain
  [1530, 1530, 'mesgtoobig', 'message_too_large'],
  [1540, 1550, 'speeding', 'sending_quota_exceeded'],
  [1560, 1560, 'policyviolation', 'policy_rejected'], // too many invalid recipients
  [1580, 1580, 'speeding', 'rate_limited'],
];

const spectrumRules: RuleInput[] = SPECTRUM.map(([from, to, reason, rootCause]) => {
  const phrases: string[] = [];
  for (let n = from; n <= to; n += 10) phrases.push(`aup#i${n}`, `aup#in-${n}`, `aup#o${n}`, `aup#out-${n}`);
  return { id: `spectrum.aup_${from}`, reason, rootCause, specificity: 88, phrases, verdict: true };
});

export const cableRules = [
  ...family('comcast', [
    // mail straight from dynamic/residential address space (Comcast's own or external)
    { id: 'comcast.es_dynamic', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 88, phrases: ['es000001', 'es000010'], verdict: true },
    // sending patterns characteristic of spam
    { id: 'comcast.bl_patterns', reason: 'blocked', rootCause: 'bad_reputation', specificity: 88, phrases: ['bl000000'], verdict: true },
    // listed on Spamhaus Zen, Cloudmark CSI and/or SenderScore (one bit each)
    { id: 'comcast.bl_listed', reason: 'blocked', rootCause: 'ip_blocklisted', specificity: 88,
      phrases: ['bl000001', 'bl000010', 'bl000011', 'bl000100', 'bl000101', 'bl000110', 'bl000111'], verdict: true },
  ]),
  ...family('cox', COX.map(([codes, reason, rootCause]) => ({
    id: `cox.aup_${codes[0]}`, reason, rootCause, specificity: 88, phrases: codes.map((c) => `aup#${c}`), verdict: true,
  }))),
  ...family('spectrum', spectrumRules),
];
