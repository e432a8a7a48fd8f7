import type { Lhost } from './types.js';

// Exim ("This message was created automatically by mail delivery software") and services that
// run it with their own wording around the same blocks (Mail.ru, GMX, 1&1, MXLogic, Zoho).
export const exim: Lhost = {
  id: 'exim',
  provider: 'exim',
  text: /This message was created automatically by mail delivery software|SMTP error from remote (?:mail )?server after|The following address(?:\(es\))? failed|retry time not reached for any host|Message is frozen/i,
  headers: /X-Failed-Recipients:/i,
  subject: /^Mail delivery failed|^Warning: message \S+ delayed/i,
  rules: {
    begin: /(?:The following address(?:\(es\))?\s+failed|could not be delivered to one or more of\s+its recipients[^\n]*|following recipients?)[:.]?[^\n]*\n/i,
    end: [/^-{3,} This is a copy of the message/im, /^-{3,} The header of the original message is following/im, /^\*{5,}$/m],
    drop: /^\s*(?:Reporting-MTA|The following text was generated during the delivery attempt)/i,
    delayed: /has not yet been delivered|Delay reason:|Warning: message \S+ delayed|No action is required on your part/i,
  },
};
