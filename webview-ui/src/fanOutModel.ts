import type { PanelDispatchOutcome, PanelRun, PanelRunState } from '../../src/shared/protocol';
import { taskNameText } from '../../src/shared/taskName';
import type { Tone } from './listModel';

/** One line under "Dispatch selected": what became of a task, following its run once it has one. */
export interface FanOutLine {
  readonly taskId: string;
  /** The dispatch's first answer for the task. */
  readonly outcome: PanelDispatchOutcome['status'];
  /** The state of the run this dispatch started, once the snapshot has it. */
  readonly runState: PanelRunState | undefined;
  readonly icon: string;
  readonly tone: Tone;
  readonly title: string;
  readonly detail: string;
}

const answerWords: Readonly<Record<PanelDispatchOutcome['status'], { readonly icon: string; readonly word: string; readonly tone: Tone }>> = {
  started: { icon: 'play-circle', word: 'started', tone: 'normal' },
  waiting: { icon: 'watch', word: 'waiting', tone: 'warning' },
  refused: { icon: 'circle-slash', word: 'refused', tone: 'error' },
};

const runWords: Readonly<Record<PanelRunState, { readonly icon: string; readonly word: string; readonly tone: Tone }>> = {
  queued: { icon: 'clock', word: 'queued', tone: 'normal' },
  preparing: { icon: 'sync', word: 'preparing', tone: 'normal' },
  running: { icon: 'sync', word: 'running', tone: 'normal' },
  needsYou: { icon: 'bell', word: 'needs you', tone: 'warning' },
  succeeded: { icon: 'pass', word: 'succeeded', tone: 'normal' },
  failed: { icon: 'error', word: 'failed', tone: 'error' },
  cancelled: { icon: 'circle-slash', word: 'cancelled', tone: 'warning' },
};

/**
 * The fan-out's lines: each task's first answer until a run of the task appears that was not there when
 * "Dispatch selected" was clicked (`runsBefore`); from then on the line says that run's state, as the Runs
 * section does, so a task that waited and started later, finished or failed never shows a stale answer.
 * `runs` come newest first (the snapshot's order): the newest new run is the one followed. A task is named by
 * its title with its id (`titles`: task id → title, as the queue and the Runs section name it).
 */
export function fanOutLines(outcomes: readonly PanelDispatchOutcome[], runs: readonly PanelRun[], runsBefore: ReadonlySet<string>, titles: ReadonlyMap<string, string> = new Map()): FanOutLine[] {
  return outcomes.map(outcome => {
    const name = taskNameText(outcome.taskId, titles.get(outcome.taskId));
    const run = outcome.status === 'refused' ? undefined : runs.find(candidate => candidate.taskId === outcome.taskId && !runsBefore.has(candidate.runId));
    if (run === undefined) {
      const words = answerWords[outcome.status];
      return { taskId: outcome.taskId, outcome: outcome.status, runState: undefined, icon: words.icon, tone: words.tone, title: `${name}: ${words.word}`, detail: outcome.detail };
    }
    const words = runWords[run.state];
    const failure = run.failure === null ? '' : ` · ${run.failure.class}: ${run.failure.message}`;
    return { taskId: outcome.taskId, outcome: outcome.status, runState: run.state, icon: words.icon, tone: words.tone, title: `${name}: ${words.word}`, detail: `on ${run.agentId} · run ${run.runId}${failure}` };
  });
}
