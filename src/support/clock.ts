// The support feature's clock: real time in production, replaceable per context in tests (service
// hours, the idle hand-over offer and stored timestamps all read it).
import type { AppContext } from '../app/context.js';

const clocks = new WeakMap<AppContext, () => Date>();

export function setSupportClock(ctx: AppContext, now: () => Date): void {
  clocks.set(ctx, now);
}

export const nowOf = (ctx: AppContext): Date => (clocks.get(ctx) ?? (() => new Date()))();
