import type { Lhost } from './types.js';

// IBM/HCL Domino and Lotus Notes: "was not delivered to: <addr> because: <reason>" and
// "------- Failure Reasons --------".
export const notes: Lhost = {
  id: 'notes',
  provider: null,
  text: /was not delivered to:|-{3,} Failure Reasons\s+-{3,}|Lotus (?:SMTP MTA|Domino)/i,
  subject: /^DELIVERY (?:FAILURE|REPORT):/,
  rules: {
    end: [/^-{3,} Returned Message -{3,}/m],
    drop: /^\s*(?:because:|was not delivered to:|-{3,} Failure Reasons\s+-{3,}|Your message\s*$|Subject:)/i,
  },
};
