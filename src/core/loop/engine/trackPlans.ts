import type { LoopObservation } from './loopBackend';
import type { PlannedAction, TickPlan, TrackPlan } from './loopModel';
import { describeAction } from './describeAction';

/** Whether an action waits (for the user's click, or for trust), and why. */
export type HoldBack = (action: PlannedAction) => { readonly waitsFor: 'you' | 'trust'; readonly reason: string } | undefined;

/** Tracks that act: planning's decision and the maintenance track's action (issue 11), one each per tick. */
export const actingTracks = ['planning', 'maintenance'] as const;

function held(track: TrackPlan, holdBack: HoldBack): TrackPlan {
  if (track.action === undefined) return track;
  const why = holdBack(track.action);
  return why === undefined ? track : { track: track.track, action: undefined, reason: why.reason, held: { action: track.action, waitsFor: why.waitsFor } };
}

/**
 * The tick's plan: the other tracks as observed (the maintenance track's action held in an untrusted
 * workspace like planning's), then planning. Every track names its action taken or held, with the reason.
 */
export function planTracks(observation: LoopObservation, at: string, holdBack: HoldBack): TickPlan {
  const decision = observation.decision;
  const planning = held({ track: 'planning', action: decision.action, reason: decision.action?.reason ?? decision.reason }, holdBack);
  const others = observation.otherTracks.map(track => track.track === 'maintenance' ? held(track, holdBack) : track);
  return { at, stage: decision, tracks: [...others, planning] };
}

/** The actions a tick takes, in PRODUCT §4's order: planning first, then maintenance. */
export function actionsToTake(plan: TickPlan): readonly PlannedAction[] {
  return actingTracks.flatMap(name => {
    const action = plan.tracks.find(track => track.track === name)?.action;
    return action === undefined ? [] : [action];
  });
}

/** What a track's plan would do, taken or held, for the event log. */
export function summaryOf(track: TrackPlan): string | undefined {
  const action = track.action ?? track.held?.action;
  return action === undefined ? undefined : describeAction(action);
}
