import * as vscode from 'vscode';
import type { Logger } from '../core/logging/logger';
import { queueEntryId } from '../core/queue/queueEntry';
import { QueueIndex } from '../core/queue/queueIndex';
import { watchQueue, type QueueWatcher } from '../core/queue/queueWatcher';
import type { AtoState } from '../core/state/atoState';
import type { Store } from '../core/state/store';
import { parseTaskFile } from '../core/tasks/parseTaskFile';
import { describeError } from '../core/logging/redactor';

/**
 * Owns the queue index and its chokidar watcher (the same core code the CLI runs) and mirrors the index
 * into the store. Started after activation; restarted when the planning folder moves; chokidar is loaded
 * only here, on first use.
 */
export class QueueService implements vscode.Disposable {
  private index: QueueIndex | undefined;
  private watcher: QueueWatcher | undefined;
  private startedFor: string | undefined;
  private starting: Promise<void> | undefined;
  private readonly listeners = new Set<(index: QueueIndex) => void>();

  constructor(
    private readonly store: Store<AtoState>,
    private readonly log: Logger,
    private readonly workspaceRoot: () => string | undefined,
  ) {}

  get current(): QueueIndex | undefined {
    return this.index;
  }

  /** Every task id in the queue, or undefined before the index has read it. */
  knownIds(): ReadonlySet<string> | undefined {
    if (this.index === undefined || this.watcher === undefined) return undefined;
    const ids = new Set<string>();
    for (const entry of this.index.entries()) ids.add(queueEntryId(entry));
    return ids;
  }

  /** Called for every new index (a restart gives a new one). */
  onDidStart(listener: (index: QueueIndex) => void): vscode.Disposable {
    this.listeners.add(listener);
    if (this.index !== undefined) listener(this.index);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  /** (Re)starts the index for `planningRoot` when it changed; stops it when there is none. */
  ensure(planningRoot: string | undefined): Promise<void> {
    if (planningRoot === this.startedFor) return this.starting ?? Promise.resolve();
    this.startedFor = planningRoot;
    this.stop();
    if (planningRoot === undefined) {
      this.store.update(state => (state.queue === undefined ? state : { ...state, queue: undefined }));
      return Promise.resolve();
    }
    const root = this.workspaceRoot();
    const index = new QueueIndex({ planningRoot, parse: parseTaskFile, ...(root === undefined ? {} : { workspaceRoot: root }), onListenerError: error => { this.log.error('queue listener failed: %s', error); } });
    this.index = index;
    index.onDidChange(() => {
      if (this.index !== index) return;
      const queue = index.snapshot();
      this.store.update(state => ({ ...state, queue }));
    });
    this.starting = (async () => {
      const started = performance.now();
      try {
        const watcher = await watchQueue(index, { onError: error => { this.log.warn('queue watcher: %s', describeError(error)); } });
        if (this.index !== index) {
          await watcher.close();
          return;
        }
        this.watcher = watcher;
        const queue = index.snapshot();
        this.store.update(state => ({ ...state, queue }));
        this.log.info('queue indexed: %d files in %s ms', queue.counts.pending + queue.counts.processed + queue.counts.complete, (performance.now() - started).toFixed(0));
        for (const listener of this.listeners) listener(index);
      } catch (error) {
        this.log.error('could not start the queue index for %s: %s', planningRoot, error);
      }
    })();
    return this.starting;
  }

  private stop(): void {
    this.watcher?.dispose();
    this.watcher = undefined;
    this.index?.dispose();
    this.index = undefined;
  }

  dispose(): void {
    this.stop();
    this.listeners.clear();
  }
}
