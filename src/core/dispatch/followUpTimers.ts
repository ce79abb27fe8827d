/**
 * The dispatcher's delayed follow-ups (a retry after a backoff, the hand-over to the next agent), by task:
 * a requeue drops the ones of its task, shutting down drops them all.
 */
export class FollowUpTimers {
  private readonly byTask = new Map<string, Set<ReturnType<typeof setTimeout>>>();

  /** Runs `action` after `delayMs`, unless dropped first. */
  schedule(taskId: string, delayMs: number, action: () => void): void {
    const timers = this.byTask.get(taskId) ?? new Set();
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (timers.size === 0 && this.byTask.get(taskId) === timers) this.byTask.delete(taskId);
      action();
    }, delayMs);
    timers.add(timer);
    this.byTask.set(taskId, timers);
  }

  /** Drops the follow-ups of one task; returns how many there were. */
  drop(taskId: string): number {
    const timers = this.byTask.get(taskId);
    if (timers === undefined) return 0;
    for (const timer of timers) clearTimeout(timer);
    this.byTask.delete(taskId);
    return timers.size;
  }

  dropAll(): void {
    for (const taskId of [...this.byTask.keys()]) this.drop(taskId);
  }
}
