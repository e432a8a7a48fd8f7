// fml mailing-list manager (fml.org): notices about a post the list refused.
import { family } from './types.js';

export const fmlRules = family('fml', [
  // its loop check: the Message-ID or an X-ML-Name header shows the list already handled the post
  { id: 'fml.loop', reason: 'systemerror', rootCause: 'server_error', specificity: 88,
    phrases: ['duplicated message-id', 'has detected a loop condition so that', 'loop back warning:'] },
]);
