import type { AgentRunStatus } from '../agentBackend';
import { julesPlanAwaitingPrefix } from './julesPlanSteps';
import type { JulesActivity, JulesSession } from './julesSchemas';

/** What the activities said so far that the session's state alone does not: the plan, a question, a failure reason. */
export interface JulesRunView {
  /** `1. Read the task; 2. …` of the newest plan. */
  readonly planSummary?: string;
  /** The agent's newest message (what it asks while awaiting feedback). */
  readonly question?: string;
  readonly failureReason?: string;
}

/** Terminal states: the session will not change any more. */
export function isTerminalJulesState(state: string | undefined): boolean {
  return state === 'COMPLETED' || state === 'FAILED';
}

const maxSummary = 400;

/** The view after `activity` (pure; activities in order). */
export function updateRunView(view: JulesRunView, activity: JulesActivity): JulesRunView {
  const steps = activity.planGenerated?.plan?.steps;
  if (steps !== undefined) {
    const ordered = [...steps].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return { ...view, planSummary: clip(ordered.map((step, at) => `${at + 1}. ${oneLine(step.title ?? step.description ?? '(untitled step)')}`).join('; '), maxSummary) };
  }
  const message = activity.agentMessaged?.agentMessage;
  if (message !== undefined) return { ...view, question: clip(oneLine(message), maxSummary) };
  if (activity.sessionFailed !== undefined) return { ...view, failureReason: clip(oneLine(activity.sessionFailed.reason ?? activity.description ?? 'no reason given'), maxSummary) };
  return view;
}

/**
 * A session's state as ATO's run status (PRODUCT §5, pure): COMPLETED succeeds with its pull request, FAILED
 * fails (a failure at the concurrency cap is a rate limit, so it is retried), AWAITING_* and PAUSED need you;
 * QUEUED, PLANNING, IN_PROGRESS and any state a newer API adds are running.
 */
export function julesRunStatus(session: JulesSession, view: JulesRunView): AgentRunStatus {
  const usage = { sessionId: session.name };
  const where = session.url ?? session.name;
  switch (session.state) {
    case 'COMPLETED': {
      const pull = session.outputs?.find(output => output.pullRequest !== undefined)?.pullRequest;
      const summary = pull === undefined
        ? `Jules completed ${where} without opening a pull request; its change set is in the session.`
        : `Jules opened ${pull.url}${pull.title === undefined || pull.title === '' ? '' : ` (${oneLine(pull.title)})`}. Session: ${where}`;
      return { state: 'succeeded', summary, usage };
    }
    case 'FAILED': {
      const reason = view.failureReason ?? 'no reason given';
      const atCap = /concurrent task limit|quota|rate limit|resource.?exhausted/i.test(reason);
      return { state: 'failed', failure: atCap ? 'rateLimit' : 'fatal', message: `Jules session ${where} failed: ${reason}`, usage };
    }
    case 'AWAITING_PLAN_APPROVAL':
      return { state: 'needsYou', reason: `${julesPlanAwaitingPrefix}${view.planSummary ?? '(the plan is not listed yet)'}`, usage };
    case 'AWAITING_USER_FEEDBACK':
      return { state: 'needsYou', reason: `Jules asks: ${view.question ?? '(see the session)'} — answer with a follow-up, or at ${where}`, usage };
    case 'PAUSED':
      return { state: 'needsYou', reason: `Jules session ${where} is paused: resume it in Jules`, usage };
    case undefined:
    default:
      return { state: 'running', usage };
  }
}

/** One line for the run's log per activity. */
export function describeActivity(activity: JulesActivity): string {
  const steps = activity.planGenerated?.plan?.steps;
  if (steps !== undefined) return `Jules plan: ${updateRunView({}, activity).planSummary ?? ''}`;
  if (activity.planApproved !== undefined) return `plan approved${activity.originator === undefined ? '' : ` (${activity.originator})`}`;
  const progress = activity.progressUpdated;
  if (progress !== undefined) return `progress: ${oneLine([progress.title, progress.description].filter(part => part !== undefined && part !== '').join(' — '))}`;
  if (activity.agentMessaged !== undefined) return `Jules: ${oneLine(activity.agentMessaged.agentMessage ?? '')}`;
  if (activity.userMessaged !== undefined) return `you: ${oneLine(activity.userMessaged.userMessage ?? '')}`;
  if (activity.sessionCompleted !== undefined) return 'session completed';
  if (activity.sessionFailed !== undefined) return `session failed: ${oneLine(activity.sessionFailed.reason ?? '')}`;
  return oneLine(activity.description ?? 'activity');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
