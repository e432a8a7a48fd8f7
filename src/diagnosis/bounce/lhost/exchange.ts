import type { Lhost } from './types.js';

// Microsoft Exchange 2003 ("did not reach the following recipient(s)"), Exchange 2007+ and
// Exchange Online / Outlook.com NDRs ("Delivery has failed to these recipients or groups",
// "Remote Server returned '550 5.1.1 ...'").
export const exchange: Lhost = {
  id: 'exchange',
  provider: 'microsoft',
  text: /Delivery has failed to these recipients or groups|did not reach the following recipient|Remote Server returned '|Diagnostic information for administrators|Your message couldn't be delivered|MSEXCH:|Generating server: /i,
  headers: /X-MS-Exchange-|X-MimeOLE: Produced By Microsoft Exchange/i,
  rules: {
    drop: /^\s*(?:Generating server:|Receiving server:|Original message headers|For Email Administrators|Diagnostic information for administrators|Fix the problem|More Info for Email Admins|How to Fix It|Sent by Microsoft Exchange|Learn more|Was this helpful|\[?\d+\/\d+\/\d+ \d+:\d+:\d+)/i,
    // The admin section ("Remote Server returned '550 5.1.10 ...'") over the prose for users.
    prefer: /Remote Server returned|Server at \S+ returned|#\d\.\d\.\d+/i,
    delayed: /Delivery is delayed to these recipients|Delay Notification|has been delayed|will continue to try delivering/i,
  },
};
