import type { Lhost } from './types.js';

// "Hi. This is the qmail-send program at host ..." and the many qmail derivatives (vpopmail,
// netqmail, Yahoo's old servers) that keep its "<addr>:" + "Remote host said:" layout.
export const qmail: Lhost = {
  id: 'qmail',
  provider: 'qmail',
  text: /This is the qmail-send program|I'm afraid I wasn't able to deliver your message to the following addresses|Remote host said:|qmail-remote/i,
  headers: /\(qmail \d+ invoked (?:for bounce|from network)\)/i,
  rules: {
    begin: /(?:to the following addresses|could not be delivered)[^\n]*\n/i,
    end: [/^--- (?:Below this line is a copy of the message|Enclosed are the original headers)/im],
    drop: /^\s*(?:Giving up on \S+\.?|I'm not going to try again|Sorry, I couldn't find any host)\s*$/i,
    delayed: /I'm not going to try again; this message has been in the queue too long|This is a temporary error/i,
  },
};
