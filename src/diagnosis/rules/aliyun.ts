// Aliyun / Alibaba Mail (阿里邮箱, 阿里云企业邮箱): replies listed in Alibaba Mail's bounce help.
import { family } from './types.js';

export const aliyunRules = family('aliyun', [
  { id: 'aliyun.rcpt_not_exist', reason: 'userunknown', rootCause: 'recipient_unknown', specificity: 88,
    phrases: ["dosn't exist", "rcptto account isn't a local account", '"rcpt to" mailbox unavailable'] },
  { id: 'aliyun.auth_failure', reason: 'securityerror', rootCause: 'auth_credentials_invalid', specificity: 88,
    phrases: ['authentication failure[0]', 'authentication failure[1]', 'username or passwd is null', 'cipher text is invalid base64'] },
  { id: 'aliyun.sender_mismatch', reason: 'rejected', rootCause: 'sender_not_authenticated', specificity: 88,
    phrases: ["mail from account doesn't conform with authentication", '"mail from" is non-local account'] },
  { id: 'aliyun.rcpt_threshold', reason: 'exceedlimit', rootCause: 'sending_quota_exceeded', specificity: 88,
    phrases: ['number of rcpt attempts is achieved the maximum threshold', 'total of rcpts is achieved the maximum threshold'] },
  { id: 'aliyun.size_threshold', reason: 'mesgtoobig', rootCause: 'message_too_large', specificity: 88,
    phrases: ['length of data content is achieved the maximum threshold', 'length of attach is achieved the maximum threshold'] },
  { id: 'aliyun.attach_count', reason: 'policyviolation', rootCause: 'attachment_blocked', specificity: 88,
    phrases: ['number of attachments is achieved the maximum threshold'] },
  { id: 'aliyun.virus', reason: 'virusdetected', rootCause: 'virus_detected', specificity: 90,
    phrases: ['virus infected mail rejected'] },
  { id: 'aliyun.not_allowed_send', reason: 'securityerror', rootCause: 'account_compromised', specificity: 84,
    phrases: ["this account isn't allowed to send email"] },
  { id: 'aliyun.not_allowed_receive', reason: 'suspend', rootCause: 'mailbox_disabled', specificity: 84,
    phrases: ["this account isn't allowed to receive email"] },
  { id: 'aliyun.behaviour_spam', reason: 'badreputation', rootCause: 'bad_reputation', specificity: 88,
    phrases: ['reject by behaviour spam', 'transient reject by behaviour spam'] },
  { id: 'aliyun.content_spam', reason: 'spamdetected', rootCause: 'spam_content', specificity: 88,
    phrases: ['reject by content spam', 'spamed by local spam engine'] },
]);
