import type { Lhost } from './types.js';

// Any other delivery failure notice: detected by the common phrases MTAs use; the block reader
// in ../text.ts does the rest.
export const generic: Lhost = {
  id: 'generic',
  provider: null,
  from: /^(?:.*<)?(?:mailer-daemon|postmaster|mail[ ._-]?delivery|mdaemon|mail\.delivery\.system)[^@]*@/i,
  subject: /undeliver|undelivered|returned mail|delivery (?:status notification|failure|failed|report)|failure notice|mail delivery|non[- ]?delivery|returning message|could not be delivered|nicht zustellbar|non remis|no entregado|配信|エラー|退信|投递|送达|发送失败/i,
  text: /could not be delivered|was not delivered|delivery (?:has )?failed|undeliverable|unable to deliver|permanent (?:fatal )?error|following addresses had|user unknown|no such user|mailbox (?:is )?(?:full|unavailable)/i,
  rules: {
    drop: /^\s*(?:This is an automated|Please do not reply|The original message was received at|-- $)/i,
    delayed: /will (?:continue|keep) (?:to )?try|will be retried|has been delayed|not yet been delivered|still trying|temporarily deferred/i,
  },
};
