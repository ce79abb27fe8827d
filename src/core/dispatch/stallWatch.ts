import type { RunRecord } from '../runs/runRecord';
import type { AtoSettings } from '../settings/settings';

/** What a stalled run becomes: needs-you (it keeps going), or cancelled and retried like a timeout. */
export type StallPolicy = 'needsYou' | 'retry';

export interface StallSettings {
  /** No output or event for this long is a stall; 0 turns the watch off (`ato.runs.stallMinutes` × 60,000). */
  readonly stallMs: number;
  readonly policy: StallPolicy;
}

/** The watch's settings from `ato.runs.stallMinutes` and `ato.runs.stallPolicy`. */
export function stallSettingsOf(settings: Pick<AtoSettings, 'runs.stallMinutes' | 'runs.stallPolicy'>): StallSettings {
  return { stallMs: settings['runs.stallMinutes'] * 60_000, policy: settings['runs.stallPolicy'] };
}

/** The history reason of a run that went to needs-you because it stalled: how the watch knows it again after a restart. */
export const stallReasonPrefix = 'stalled: ';

export type StallVerdict =
  | { readonly kind: 'fine' }
  | { readonly kind: 'stalled'; readonly action: StallPolicy; readonly reason: string }
  /** A run marked needs-you for a stall had output since: it is running again. */
  | { readonly kind: 'resumed'; readonly reason: string };

export interface StallInput {
  readonly record: Pick<RunRecord, 'state' | 'history'>;
  /** When the run's log last changed (its last output), if it has one. */
  readonly logChangedMs: number | undefined;
  readonly nowMs: number;
  readonly settings: StallSettings;
}

/**
 * Is this run stalled (pure)? Its last sign of life is the later of its last state change and its log's last
 * change — both on disk, so a watch rebuilt after a restart reaches the same verdict. A running run quiet
 * for `stallMs` is stalled; a run that went to needs-you for a stall and has written since is resumed.
 */
export function decideStall(input: StallInput): StallVerdict {
  const { record, logChangedMs, nowMs, settings } = input;
  if (settings.stallMs <= 0) return { kind: 'fine' };
  const last = record.history.at(-1);
  const changedMs = last === undefined ? 0 : Date.parse(last.at);
  if (record.state === 'needsYou' && last?.reason.startsWith(stallReasonPrefix) === true) {
    return logChangedMs !== undefined && logChangedMs > changedMs ? { kind: 'resumed', reason: 'output resumed after a stall' } : { kind: 'fine' };
  }
  if (record.state !== 'running') return { kind: 'fine' };
  const quietMs = nowMs - Math.max(changedMs, logChangedMs ?? 0);
  if (quietMs < settings.stallMs) return { kind: 'fine' };
  return { kind: 'stalled', action: settings.policy, reason: `no output for ${describeQuiet(quietMs)}` };
}

/** "15 min" (whole minutes, down), or "40 s" under a minute. */
export function describeQuiet(ms: number): string {
  return ms >= 60_000 ? `${String(Math.floor(ms / 60_000))} min` : `${String(Math.floor(ms / 1000))} s`;
}

export interface StallWatchOptions {
  /** Read at every check, so a settings change applies to runs in progress. */
  readonly settings: () => StallSettings;
  /** The runs to watch: the dispatcher's runs in progress (after a restart, those it adopted from the records). */
  readonly runs: () => readonly RunRecord[];
  /** The mtime of the run's log, in ms; undefined when it has none. */
  readonly logChangedMs: (runId: string) => Promise<number | undefined>;
  readonly onVerdict: (runId: string, verdict: Exclude<StallVerdict, { kind: 'fine' }>) => Promise<void>;
  readonly now?: () => Date;
  readonly onError?: (error: unknown) => void;
}

/**
 * Checks the runs in progress for stalls on a timer (a quarter of the stall time, at most a minute apart)
 * and hands each verdict to `onVerdict` once per run and state. It keeps nothing but the timer: every
 * verdict comes from the records and the logs on disk.
 */
export class StallWatch {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking: Promise<void> | undefined;
  private readonly now: () => Date;
  private stopped = false;
  /** Verdicts handed over, by run and the length of its history: one per run and state. */
  private readonly told = new Set<string>();

  constructor(private readonly options: StallWatchOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Starts the timer; the first check runs at once. */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** One pass over the runs (the timer calls it; tests call it with an injected clock). */
  check(): Promise<void> {
    this.checking ??= this.checkRuns().finally(() => { this.checking = undefined; });
    return this.checking;
  }

  dispose(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    await this.check().catch((error: unknown) => this.options.onError?.(error));
    if (this.isStopped()) return;
    const { stallMs } = this.options.settings();
    // Off: look again now and then, in case the setting is turned on.
    const interval = stallMs <= 0 ? 60_000 : Math.min(60_000, Math.max(100, Math.floor(stallMs / 4)));
    this.timer = setTimeout(() => { void this.tick(); }, interval);
    // The watch alone never keeps a process (the CLI) alive.
    this.timer.unref();
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  private async checkRuns(): Promise<void> {
    const settings = this.options.settings();
    if (settings.stallMs <= 0) return;
    const runs = this.options.runs();
    const watched = new Set(runs.map(record => record.runId));
    for (const key of this.told) if (!watched.has(key.slice(0, key.indexOf('\u0000')))) this.told.delete(key);
    for (const record of runs) {
      const verdict = decideStall({ record, logChangedMs: await this.options.logChangedMs(record.runId), nowMs: this.now().getTime(), settings });
      if (verdict.kind === 'fine') continue;
      const key = `${record.runId}\u0000${String(record.history.length)}\u0000${verdict.kind}`;
      if (this.told.has(key)) continue;
      this.told.add(key);
      await this.options.onVerdict(record.runId, verdict);
    }
  }
}
