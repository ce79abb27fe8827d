import { Emitter, type Event } from '../util/emitter';
import type { Disposable } from '../util/disposable';

/**
 * The one place state lives. Services call `update`; views subscribe to `onDidChange` and render from
 * `state`. State is immutable: an update returns a new object, and returning the same object means
 * "nothing changed" (no event fires), so views never re-render for no-ops.
 */
export class Store<S> implements Disposable {
  private current: S;
  private readonly changed: Emitter<S>;

  constructor(initial: S, onListenerError?: (error: unknown) => void) {
    this.current = initial;
    this.changed = new Emitter<S>(onListenerError);
  }

  get state(): S {
    return this.current;
  }

  get onDidChange(): Event<S> {
    return this.changed.event;
  }

  update(recipe: (state: S) => S): void {
    const next = recipe(this.current);
    if (Object.is(next, this.current)) return;
    this.current = next;
    this.changed.fire(next);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
