/** Every rule that depends on time asks a Clock, so tests can move time instead of waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests set and advance by hand. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: Date | number = Date.now()) {
    this.current = typeof start === "number" ? start : start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | number): void {
    this.current = typeof to === "number" ? to : to.getTime();
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
