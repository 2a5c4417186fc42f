/** Time as a dependency, so expiry logic can be tested without waiting or faking timers globally. */
export type Clock = () => Date;

/** Optional injection token; services fall back on `systemClock` when nothing provides it. */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = () => new Date();
