// MTA families in the order they are tried: specific signatures before broad ones.
import { sesInbound } from './amazonses.js';
import { aliyun, chineseGeneric, netease, tencent } from './chinese.js';
import { dragonfly } from './dragonfly.js';
import { exchange } from './exchange.js';
import { exim } from './exim.js';
import { ezweb } from './ezweb.js';
import { fml } from './fml.js';
import { generic } from './generic.js';
import { gmail } from './gmail.js';
import { notes } from './notes.js';
import { opensmtpd } from './opensmtpd.js';
import { postfix } from './postfix.js';
import { qmail } from './qmail.js';
import { sendmail } from './sendmail.js';
import { matches, type Lhost, type Signature } from './types.js';
import { yahoo } from './yahoo.js';

export type { Lhost, Signature } from './types.js';

export const LHOSTS: Lhost[] = [
  tencent, netease, aliyun, gmail, exchange, yahoo, ezweb, sesInbound, dragonfly, opensmtpd, qmail, exim, postfix, sendmail, notes,
  fml, chineseGeneric, generic,
];

export function detectLhost(sig: Signature): Lhost | null {
  return LHOSTS.find((m) => matches(m, sig)) ?? null;
}
