import type { Lhost } from './types.js';

// Gmail / Google Workspace bounces: "Delivery to the following recipient failed permanently",
// "** Address not found **", "The response from the remote server was:".
export const gmail: Lhost = {
  id: 'gmail',
  provider: 'google',
  from: /@(?:googlemail\.com|google\.com)\b/i,
  text: /Delivery to the following recipients? (?:failed|has been delayed)|Technical details of (?:permanent|temporary) failure|\*\* (?:Address not found|Message not delivered|Message blocked|Delivery incomplete) \*\*|The response (?:from the remote server )?was:/i,
  rules: {
    drop: /^\s*(?:Learn more|LEARN MORE|----- Original message -----)/i,
    delayed: /Delivery to the following recipients? has been delayed|Delivery incomplete|will retry for \d+ more hour|Technical details of temporary failure/i,
  },
};
