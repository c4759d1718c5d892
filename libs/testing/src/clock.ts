/** A clock that moves only when a test moves it; fits every injectable `Clock` (`now(): Date`). */
export class FakeClock {
  constructor(public ms: number = Date.UTC(2026, 0, 1)) {}

  now(): Date {
    return new Date(this.ms);
  }

  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}
