import type { RootCause } from '../../core/taxonomy.js';
import type { ProviderId } from './providers.js';

export interface Advice {
  title: string;
  summary: string;
  /** 3–6 concrete actions, in the order a support agent would walk a user through them */
  steps: string[];
}

/** A provider variant replaces the fields it sets; the rest comes from the general advice. */
export type AdviceEntry = Advice & { providers?: Partial<Record<ProviderId, Partial<Advice>>> };

export type AdviceTable = Record<RootCause, AdviceEntry>;
