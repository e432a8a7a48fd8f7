import type { Lhost } from './types.js';

// Postfix bounce text ("This is the mail system at host ..."). With a DSN part the DSN wins;
// this reads the text when the DSN is missing or has no Diagnostic-Code.
export const postfix: Lhost = {
  id: 'postfix',
  provider: 'postfix',
  text: /This is the (?:mail system|Postfix program) at host|The mail system\s*$/im,
  headers: /X-Postfix-Queue-ID:/i,
  rules: {
    begin: /^\s*The (?:mail system|Postfix program)\s*$/im,
    delayed: /Delayed Mail \(still being retried\)|This is a warning only|will be retried until/i,
    // bounce(8) writes this in place of the per-recipient report when its log record is gone
    drop: /^\s*--- Delivery report unavailable ---\s*$/i,
  },
};
