import { basename, dirname, join } from 'node:path';
import { isTaskFileName } from '../planning/planningLayout';
import type { Disposable } from '../util/disposable';
import type { QueueFileChange, QueueIndex } from './queueIndex';

export interface QueueWatcherOptions {
  /** Events are collected for this long after the first one, then applied as one batch. Default 15 ms. */
  readonly batchMs?: number;
  /**
   * chokidar drops a file's `change` events for 50 ms after one it reported, and a few ms after any
   * event: a second write that quick would go unseen. So each added or changed file is looked at once
   * more this long after its event (a `stat`; read again only if its stamp moved). Default 75 ms.
   */
  readonly recheckMs?: number;
  /** Index the folders once the watcher is ready (so no change falls between the two). Default true. */
  readonly coldIndex?: boolean;
  /** Watcher errors and failed batches; the watcher keeps going. */
  readonly onError?: (error: unknown) => void;
}

export interface QueueWatcher extends Disposable {
  /** Applies whatever is waiting in the current batch now, and resolves when the index has it. */
  flush(): Promise<void>;
  /** Stops watching; resolves when chokidar has closed. `dispose` does the same without waiting. */
  close(): Promise<void>;
}

/**
 * Watches the three queue folders with chokidar and feeds the index, in batches. chokidar is loaded
 * here, on first use, never at activation (the bundle keeps it in a chunk of its own). Resolves once the
 * watcher is ready and, unless `coldIndex: false`, the index has read the folders. The planning folder
 * itself must exist (start the watcher once it is there); queue folders may come and go.
 *
 * chokidar's own atomic-write handling is off (it delays every unlink by 100 ms); the index pairs an
 * unlink and an add of the same name across folders into a move itself, and an editor's
 * delete-and-recreate of one file lands in one batch as a change.
 */
export async function watchQueue(index: QueueIndex, options: QueueWatcherOptions = {}): Promise<QueueWatcher> {
  const { watch } = await import('chokidar');
  const batchMs = options.batchMs ?? 15;
  const recheckMs = options.recheckMs ?? 75;
  const onError = options.onError ?? (() => undefined);
  // Watch from the planning folder down, skipping all but the way to the queue folders, so that a queue
  // folder created (or re-created) later is watched too: chokidar does not pick up a watched path that
  // appears after it started. Sub-folders of the queue folders (task files there count) are watched too;
  // symlinks are never followed (a symlinked folder is the index's to report).
  const watcher = watch(index.planningRoot, {
    ignoreInitial: true,
    atomic: false,
    awaitWriteFinish: false,
    followSymlinks: false,
    ignored: (path, stats) => !index.watches(path, stats === undefined ? undefined : !stats.isDirectory()),
  });

  let closed = false;
  let batch = new Map<string, QueueFileChange['kind']>();
  let batchTimer: NodeJS.Timeout | undefined;
  let applying: Promise<void> = Promise.resolve();
  const rechecks = new Map<string, number>();
  let recheckTimer: NodeJS.Timeout | undefined;

  const apply = (changes: QueueFileChange[]): Promise<void> => {
    const run = applying.then(() => index.applyChanges(changes)).then(() => undefined, onError);
    applying = run;
    return run;
  };
  const flush = (): Promise<void> => {
    clearTimeout(batchTimer);
    batchTimer = undefined;
    if (closed || batch.size === 0) return applying;
    const changes = [...batch].map(([file, kind]) => ({ kind, file }));
    batch = new Map();
    return apply(changes);
  };
  const enqueue = (kind: QueueFileChange['kind'], file: string): void => {
    // A later event for the same file wins; unlink + add inside one batch is just "look at it".
    batch.set(file, batch.get(file) === 'unlink' && kind === 'add' ? 'change' : kind);
    batchTimer ??= setTimeout(() => void flush(), batchMs);
  };
  const runRechecks = (): void => {
    recheckTimer = undefined;
    if (closed) return;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [file, at] of rechecks) {
      if (at > now) {
        next = Math.min(next, at);
      } else {
        rechecks.delete(file);
        if (!batch.has(file)) enqueue('change', file);
      }
    }
    if (next !== Number.POSITIVE_INFINITY) recheckTimer = setTimeout(runRechecks, Math.max(1, next - now));
  };
  const onEvent = (kind: QueueFileChange['kind'], file: string): void => {
    if (closed) return;
    enqueue(kind, file);
    if (kind === 'unlink') return;
    rechecks.set(file, performance.now() + recheckMs);
    recheckTimer ??= setTimeout(runRechecks, recheckMs);
  };

  // chokidar reports a change only after its own stat (which waits behind its re-scan of the whole folder
  // in the thread pool) and throttles it; the raw fs.watch event comes at once. It is only a hint: the
  // index checks the disk, and chokidar's own event follows anyway.
  watcher.on('raw', (_event, name, details) => {
    if (closed || typeof name !== 'string' || name === '') return;
    const watched = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof watched !== 'string') return;
    // chokidar watches folders, and sometimes a file itself (then the event names the file).
    const watchesFile = isTaskFileName(basename(watched)) && index.isInQueue(dirname(watched));
    const file = watchesFile ? watched : index.isInQueue(watched) ? join(watched, name) : undefined;
    if (file !== undefined && isTaskFileName(basename(file))) enqueue('change', file);
  });
  watcher.on('add', file => { onEvent('add', file); });
  watcher.on('change', file => { onEvent('change', file); });
  watcher.on('unlink', file => { onEvent('unlink', file); });
  watcher.on('error', onError);

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    clearTimeout(batchTimer);
    clearTimeout(recheckTimer);
    batch.clear();
    rechecks.clear();
    await watcher.close();
  };
  try {
    await new Promise<void>(resolveReady => watcher.once('ready', resolveReady));
    if (options.coldIndex ?? true) await index.coldIndex();
  } catch (error) {
    await close();
    throw error;
  }
  return {
    flush,
    close,
    dispose: () => { close().catch(onError); },
  };
}
