import type { Lhost } from './types.js';

// Sendmail and its V5 ancestor: "----- Transcript of session follows -----" with
// "<addr>... User unknown" lines and "----- The following addresses had permanent fatal errors -----".
export const sendmail: Lhost = {
  id: 'sendmail',
  provider: 'sendmail',
  text: /-{3,}\s*(?:Transcript of session follows|The following addresses had (?:permanent fatal errors|delivery problems))\s*-{3,}/i,
  subject: /^Returned mail:/i,
  rules: {
    end: [/^\s*-{3,}\s*(?:Unsent message follows|Original message follows|Message header follows|Returned message follows)/im],
    // The session transcript: keep the server's replies ("<<< 550 ..."), not our commands
    // (">>> RCPT To:"), nor sendmail's own closing "554 5.0.0 Service unavailable".
    drop: /^\s*(?:-{3,}\s*(?:Transcript of session follows|The following addresses had [^-]+)\s*-{3,}|The original message was received at .*|from \S+\s*$|\.\.\. while talking to |>>> |\(expanded from:|554 5\.0\.0 Service unavailable\s*$)/i,
    delayed: /Warning: could not send message for past|Will keep trying until message is/i,
    // "While talking to HOST:" opens each SMTP conversation; ">>> " is our command, "<<< " the
    // server's reply, then one "NNN <addr>... text" status line per recipient it concerns and
    // "NNN host (smtp)... text" lines for hosts (V5 writes several conversations in one report).
    transcript: { session: /^\s*(?:\.\.\.\s+)?while talking to /i, exchange: /^(?:>>>|<<<) /, statusLine: /^\d{3}[ -]/ },
  },
};
