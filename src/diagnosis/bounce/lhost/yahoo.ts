import type { Lhost } from './types.js';

// Yahoo! Mail: "Sorry, we were unable to deliver your message to the following address."
export const yahoo: Lhost = {
  id: 'yahoo',
  provider: 'yahoo',
  text: /Sorry, we were unable to deliver your message to the following address/i,
  headers: /X-YMailISG:|X-Yahoo-Newman/i,
  rules: {
    begin: /to the following address\.?\s*\n/i,
    end: [/^--- Below this line is a copy of the message/im],
    delayed: /message will be retried|we will continue to try/i,
  },
};
