import type { Lhost } from './types.js';

// fml mailing-list manager: its notices to the list admin or the poster ("Loop Alert: Duplicated
// Message-ID", "You are not a member of this mailing list") name the address in <> and are
// followed by "Original mail as follows:". List posts carry X-MLServer too, so a notice is required.
export const fml: Lhost = {
  id: 'fml',
  provider: null,
  headers: /^X-MLServer:\s*fml\b/im,
  require: /Loop Alert:|Loop Back Warning:|Duplicated Message-ID|not a member of this mailing list|NOT MEMBER article from|fml system error message|Security Alert/i,
  rules: {
    end: [/^\s*Original mail as follows:/m],
  },
};
