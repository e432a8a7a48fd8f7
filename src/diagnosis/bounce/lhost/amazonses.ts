import type { Lhost } from './types.js';

// Amazon SES receiving: a receipt rule's Bounce action answers for the recipient's domain with
// one of the console's templates ("Mailbox does not exist", "Mailbox full", "Message too large",
// ...) under "This message could not be delivered". Sent through SES, so X-SES-Outgoing is set.
export const sesInbound: Lhost = {
  id: 'ses-inbound',
  provider: null,
  headers: /^X-SES-Outgoing:/im,
  require: /^This message could not be delivered\b/m,
  rules: {},
};
