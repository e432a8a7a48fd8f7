// Deutsche Telekom (t-online.de): its inbound MXs refuse a sending IP at connection time with one
// fixed template, "554 IP=<ip> - A problem occurred. (Ask your postmaster for help or to contact
// tosa@rx.t-online.de to clarify.)", often followed by a tag such as "(BL)". T-Online has explained
// this refusal (to senders and on spamresource.com, 2020) as its reputation check of the sending
// host: hosts with a bad or an unknown (long unused) reputation are refused until their operator
// asks for release at the address in the reply. The sentence itself names no cause.
import { family } from './types.js';

export const telekomRules = family('telekom', [
  { id: 'telekom.ip_refused', reason: 'blocked', rootCause: 'bad_reputation', specificity: 86,
    phrases: ['a problem occurred. (ask your postmaster for help', 'tosa@rx.t-online.de'] },
]);
