import { toDisposable, type Disposable } from './disposable';

export type Listener<T> = (value: T) => void;

/** Subscribes a listener; the returned disposable unsubscribes it. */
export type Event<T> = (listener: Listener<T>) => Disposable;

/**
 * A minimal typed event emitter for core code, which cannot use `vscode.EventEmitter`. A listener that
 * throws does not stop the others: its error goes to `onListenerError`.
 */
export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => undefined) {}

  readonly event: Event<T> = listener => {
    // Wrap so the same function can subscribe twice and unsubscribe independently.
    const entry: Listener<T> = value => {
      listener(value);
    };
    this.listeners.add(entry);
    return toDisposable(() => this.listeners.delete(entry));
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.onListenerError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
