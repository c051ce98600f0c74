/**
 * A small typed event emitter (VS Code's Event/Emitter shape, without the dependency): a
 * subscription returns a Disposable. Listeners run synchronously in subscription order; one
 * that throws does not keep the others from running (the first error is rethrown after).
 */

export interface Disposable {
  dispose(): void;
}

/** Subscribes a listener; call dispose() on the result to unsubscribe. */
export type Event<T> = (listener: (value: T) => void) => Disposable;

export class Emitter<T> {
  private listeners: ((value: T) => void)[] = [];

  /** The subscribe function to hand out (as `machine.onStopped`). */
  readonly event: Event<T> = (listener) => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  get hasListeners(): boolean {
    return this.listeners.length > 0;
  }

  fire(value: T): void {
    let failure: unknown;
    let failed = false;
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch (e) {
        if (!failed) failure = e;
        failed = true;
      }
    }
    if (failed) throw failure;
  }

  dispose(): void {
    this.listeners = [];
  }
}
