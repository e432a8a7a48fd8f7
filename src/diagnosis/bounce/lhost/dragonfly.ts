import type { Lhost } from './types.js';

// DragonFly Mail Agent (dma): "There was an error delivering your mail to <addr>."
export const dragonfly: Lhost = {
  id: 'dragonfly',
  provider: null,
  text: /This is the DragonFly Mail Agent|There was an error delivering your mail to/i,
  rules: {
    end: [/^Message headers follow\.?/m],
    // The opening line only names the address; the reason follows it.
    drop: /^\s*(?:This is the DragonFly Mail Agent|There was an error delivering your mail to)/i,
  },
};
