// Mimecast ("Mimecast SMTP error codes" knowledge article).
import { family } from './types.js';

export const mimecastRules = family('mimecast', [
  // documented as a virus signature or a spam score above the maximum threshold (MCSpamSignature)
  { id: 'mimecast.security_policies', reason: 'virusdetected', rootCause: 'virus_detected', specificity: 88,
    phrases: ['email rejected due to security policies'], all: ['mimecast'] },
]);
