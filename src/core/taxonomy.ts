// The diagnosis vocabulary (../shared/TAXONOMY.md). This file is the contract: the API, the CLI,
// the knowledge base and the tests all use these names. Plain data, no zod: the log analysis CLI
// loads it without zod's ~100 ms start-up; the request schemas are in taxonomy-schemas.ts.

export const CATEGORIES = ['config', 'delivery', 'security'] as const;
export type Category = (typeof CATEGORIES)[number];

/** rootCause → category. Order follows the taxonomy table. */
export const ROOT_CAUSE_CATEGORY = {
  recipient_unknown: 'delivery',
  recipient_domain_invalid: 'delivery',
  mailbox_full: 'delivery',
  mailbox_disabled: 'delivery',
  message_too_large: 'delivery',
  attachment_blocked: 'delivery',
  sender_not_authenticated: 'config',
  auth_credentials_invalid: 'config',
  auth_method_disabled: 'config',
  starttls_required: 'config',
  tls_failure: 'config',
  relay_denied: 'config',
  spf_failure: 'config',
  dkim_failure: 'config',
  dmarc_failure: 'config',
  ptr_missing: 'config',
  mx_misconfigured: 'config',
  sender_domain_invalid: 'config',
  ip_blocklisted: 'delivery',
  bad_reputation: 'delivery',
  rate_limited: 'delivery',
  sending_quota_exceeded: 'delivery',
  spam_content: 'delivery',
  virus_detected: 'security',
  greylisted: 'delivery',
  policy_rejected: 'delivery',
  connection_failed: 'delivery',
  message_expired: 'delivery',
  protocol_error: 'config',
  server_error: 'delivery',
  account_compromised: 'security',
  phishing_detected: 'security',
  unknown: 'delivery',
} as const satisfies Record<string, Category>;

export type RootCause = keyof typeof ROOT_CAUSE_CATEGORY;
export const ROOT_CAUSES = Object.keys(ROOT_CAUSE_CATEGORY) as [RootCause, ...RootCause[]];

export function categoryOf(rootCause: RootCause): Category {
  return ROOT_CAUSE_CATEGORY[rootCause];
}

/** Sisimai v5 reason vocabulary. */
export const REASONS = [
  'authfailure', 'badreputation', 'blocked', 'contenterror', 'delivered', 'exceedlimit', 'expired',
  'feedback', 'filtered', 'hasmoved', 'hostunknown', 'mailboxfull', 'mailererror', 'mesgtoobig',
  'networkerror', 'norelaying', 'notaccept', 'notcompliantrfc', 'onhold', 'policyviolation',
  'rejected', 'requireptr', 'securityerror', 'spamdetected', 'speeding', 'suspend', 'syntaxerror',
  'systemerror', 'systemfull', 'toomanyconn', 'undefined', 'userunknown', 'vacation', 'virusdetected',
] as const;
export type Reason = (typeof REASONS)[number];

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
