import type { LoopObservation } from './loopBackend';
import type { StageDecision, TickPlan } from './loopModel';

/**
 * Whether a plan still says what the next tick would do: the observation it was planned from and `now` agree
 * on the planning decision (stage, reason, action) and the other tracks. A plan made before a merge, a
 * requeue or any change on GitHub is dropped when the state moves on (issue 14), not left on screen.
 */
export function planStillHolds(plan: TickPlan, now: LoopObservation): boolean {
  if (plan.stage === undefined) return false;
  return basisKey(plan.stage, plan.tracks.filter(track => track.track !== 'planning')) === basisKey(now.decision, now.otherTracks);
}

/** A held track (untrusted workspace) is compared by the action it holds: its reason says why it waits. */
function trackKey(track: LoopObservation['otherTracks'][number]): unknown[] {
  return track.held === undefined ? [track.track, track.action ?? null, track.reason] : [track.track, track.held.action, null];
}

function basisKey(decision: StageDecision, otherTracks: LoopObservation['otherTracks']): string {
  return JSON.stringify([decision.stage, decision.reason, decision.action ?? null, decision.focus ?? null, otherTracks.map(trackKey)]);
}
