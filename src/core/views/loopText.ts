import { describeAction } from '../loop/engine/describeAction';
import type { ActionOutcome, LoopState, LoopTrack, StageId, TickPlan, TickReport, TrackPlan } from '../loop/engine/loopModel';
import type { AtoState } from '../state/atoState';

/**
 * The loop in words, for every surface (panel snapshot, tree, status bar, notifications, the output
 * channel). Pure; GitHub text passes through unchanged (each surface renders it as text).
 */

export const stageGroupNames: Readonly<Record<'1' | '2' | '3', string>> = { 1: 'Gap analysis', 2: 'Development', 3: 'Capability update' };

/** "2b · Development". */
export function stageLabel(stage: StageId): string {
  return `${stage} · ${stageGroupNames[stage[0] as '1' | '2' | '3']}`;
}

export const trackNames: Readonly<Record<LoopTrack, string>> = { runs: 'Runs', planning: 'Planning', maintenance: 'Maintenance' };

export function describeOutcome(outcome: ActionOutcome): string {
  const result = outcome.result === 'done' ? 'done' : outcome.result === 'skipped' ? 'skipped' : 'failed';
  return `${trackNames[outcome.track]}: ${describeAction(outcome.action)} — ${result}${outcome.message === '' ? '' : `: ${outcome.message}`}`;
}

/** One line for a notification: what the tick did, or why it did nothing. */
export function summarizeTickReport(report: TickReport): { readonly text: string; readonly failed: boolean } {
  const failed = report.outcomes.some(outcome => outcome.result === 'failed');
  if (report.outcomes.length === 0) {
    // A held action (a merge waiting for you) is named, not only its reason; parts end without a full stop before "; ".
    const reasons = report.plan.tracks.map(track => `${trackNames[track.track]}: ${track.held === undefined ? track.reason : describeTrackPlan(track)}`.replace(/\.$/, '')).join('; ');
    return { text: `Nothing to do${reasons === '' ? '.' : ` — ${reasons}`}`, failed };
  }
  return { text: report.outcomes.map(describeOutcome).join('; '), failed };
}

/** The plan as plain text lines (the output channel, when the panel is hidden). */
export function describePlan(plan: TickPlan): string[] {
  const lines = [`Next tick (preview at ${plan.at}):`];
  if (plan.stage !== undefined) lines.push(`  Stage ${stageLabel(plan.stage.stage)}: ${plan.stage.reason}`);
  for (const track of plan.tracks) lines.push(`  ${trackNames[track.track]}: ${describeTrackPlan(track)}`);
  if (plan.tracks.length === 0) lines.push('  No track has anything to do.');
  return lines;
}

/** What a track's plan does, and why: "Promote task a — Next pending…", "Merge PR #7 (waits for you) — …", "nothing — …". */
export function describeTrackPlan(track: TrackPlan): string {
  return `${trackPlanSummary(track)} — ${track.reason}`;
}

/** The action alone: "Promote task a", "Merge PR #7 at abc1234 (waits for you)", "nothing". */
export function trackPlanSummary(track: TrackPlan): string {
  if (track.action !== undefined) return describeAction(track.action);
  if (track.held !== undefined) return `${describeAction(track.held.action)} (${track.held.waitsFor === 'you' ? 'waits for you' : 'not taken: untrusted workspace'})`;
  return 'nothing';
}

/**
 * The loop's error when a tick failed. Before any tick, `error` is the engine's word on why it cannot run
 * here (no origin remote, another window holds the lock): a notice, not a failure.
 */
export function tickError(loop: LoopState): string | undefined {
  return loop.error !== undefined && (loop.lastTickAt !== undefined || loop.lastReport !== undefined) ? loop.error : undefined;
}

/** Why the loop cannot act here (off, or on but without an engine), or undefined when it can. */
export function loopNotRunningReason(state: AtoState): string | undefined {
  if (state.loop.mode === 'off') return loopUnavailableReason(state);
  return state.loop.error !== undefined && tickError(state.loop) === undefined ? state.loop.error : undefined;
}

/**
 * Why there is no loop to steer here (the loop is off, or no engine runs in this window): the first
 * reason that applies, in words that say what to do about it.
 */
export function loopUnavailableReason(state: AtoState): string {
  if (!state.trusted) return 'this workspace is in Restricted Mode; trust it to let ATO act.';
  const planning = state.planning;
  switch (planning.kind) {
    case 'noWorkspace':
      return 'no folder is open.';
    case 'unknown':
      return 'ATO is still reading the planning folder.';
    case 'missing':
      if (state.loop.mode === 'off') return 'there is no planning folder yet (run "ATO: Initialize Planning Folder").';
      break;
    case 'partial':
      if (state.loop.mode === 'off') return `the planning folder is incomplete (${planning.missing.join(', ')} missing).`;
      break;
    case 'error':
      if (state.loop.mode === 'off') return `the planning folder could not be read (${planning.message}).`;
      break;
    case 'ready':
      break;
  }
  const error = state.loop.error;
  if (error !== undefined) return tickError(state.loop) === undefined ? error : `it stopped on an error: ${error}`;
  return 'the loop engine has not started in this window.';
}

/** A local wall-clock time, `14:05`. */
export function formatClock(iso: string): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return iso;
  const date = new Date(time);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
