import type { Lhost } from './types.js';

// au (KDDI) mobile mail, ezweb.ne.jp / au.com: "Mail System Error - Returned Mail" from Postmaster.
// The account state ("The user(s) account is disabled.", "... temporarily over quota") is written
// once above the address list; the per-address line only repeats the SMTP reply.
export const ezweb: Lhost = {
  id: 'ezweb',
  provider: null,
  from: /Postmaster@(?:ezweb\.ne\.jp|au\.com)\b/i,
  require: /Mail System Error - Returned Mail/,
  rules: {
    notice: /^\s*The user\(s\) account is /,
  },
};
