// PowerMTA writes its own verdict into each recipient block of a DSN (X-PowerMTA-BounceCategory,
// one of the bounce categories of its user guide). Categories that name one bounce reason decide it;
// "other", "bad-connection", "content-related", "protocol-errors" and the like stay with the text.
import type { Reason } from '../../core/taxonomy.js';

export const POWERMTA_CATEGORIES: Readonly<Record<string, Reason>> = {
  'bad-domain': 'hostunknown',
  'bad-mailbox': 'userunknown',
  'inactive-mailbox': 'suspend',
  'invalid-sender': 'rejected',
  'message-expired': 'expired',
  'no-answer-from-host': 'networkerror',
  'policy-related': 'policyviolation',
  'quota-issues': 'mailboxfull',
  'relaying-issues': 'norelaying',
  'spam-related': 'spamdetected',
  'virus-related': 'virusdetected',
};
