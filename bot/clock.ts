/** The only source of "now" in the bot: injected so tests and the sandbox can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Starts at `start` and runs on at real speed. */
export function clockFrom(start: Date, real: () => number = () => Date.now()): Clock {
  const offset = start.getTime() - real();
  return { now: () => new Date(real() + offset) };
}
