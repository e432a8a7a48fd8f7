import type { Lhost } from './types.js';

// OpenSMTPD: "This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail." followed by
// "addr: reason" lines.
export const opensmtpd: Lhost = {
  id: 'opensmtpd',
  provider: null,
  text: /This is the MAILER-DAEMON, please DO NOT REPLY to this e-?mail|following list of recipients:/i,
  rules: {
    begin: /the following list of recipients:\s*\n/i,
    end: [/^\s*Below is a copy of the original message/im],
    delayed: /Delivery attempts will continue|temporary failure has occurred/i,
  },
};
