import { stageGroups, stageMeanings, type PanelLoop, type PanelLoopAction, type PanelStageId, type PlannedActionKind } from '../../src/shared/loopSnapshot';
import { focusRefCaption, localModeLoopText, loopCountsText, unfocusedPauseText } from '../../src/shared/loopWords';
import type { PanelSnapshot, ToHostMessage } from '../../src/shared/protocol';
import { restrictedReason, type Tone } from './listModel';

/** What the loop header shows, built from a snapshot and the time. Pure: unit-tested without a browser. */
export type LoopStateKind = 'untrusted' | 'off' | 'ticking' | 'error' | 'running' | 'pausedUnfocused' | 'paused';

export interface LoopStep {
  readonly id: PanelStageId;
  readonly meaning: string;
  readonly current: boolean;
}

export interface LoopStepGroup {
  readonly id: string;
  readonly label: string;
  readonly current: boolean;
  readonly steps: readonly LoopStep[];
}

export interface LoopButton {
  readonly id: 'start' | 'pause' | 'tick' | 'preview';
  readonly label: string;
  readonly icon: string;
  readonly message: ToHostMessage;
  readonly secondary: boolean;
  readonly disabledReason: string | undefined;
}

export interface LoopLine {
  readonly icon: string;
  readonly text: string;
  readonly detail: string;
  readonly tone: Tone;
}

export interface LoopViewModel {
  /**
   * Set when no GitHub loop runs here (local mode, or off): the header is this one line saying how to turn it
   * on, instead of a stepper and buttons that can do nothing (issue 14: local mode leads with what it has).
   */
  readonly collapsed: { readonly text: string; readonly tooltip: string } | undefined;
  readonly state: { readonly kind: LoopStateKind; readonly label: string; readonly detail: string | undefined; readonly icon: string; readonly spin: boolean; readonly tone: Tone };
  /** "GitHub" or "Local mode", or undefined when the loop is off. */
  readonly mode: string | undefined;
  readonly stepper: readonly LoopStepGroup[];
  readonly stage: { readonly label: string; readonly meaning: string; readonly reason: string } | undefined;
  /** The work (its kind, issue and PR numbers) and its title; `refs` name the issue and the PR with their own titles. */
  readonly focus: { readonly label: string; readonly title: string; readonly url: string | null; readonly refs: readonly { readonly kind: 'issue' | 'pullRequest'; readonly caption: string; readonly url: string | null }[] } | undefined;
  /** "3 pending · 1 processed · …", from the planning branch; undefined before a tick read it. */
  readonly counts: { readonly text: string; readonly tooltip: string } | undefined;
  /** "last tick 3 min ago · next tick in 2 min". */
  readonly ticks: string;
  readonly budget: readonly LoopLine[];
  readonly lease: LoopLine | undefined;
  readonly buttons: readonly LoopButton[];
  readonly plan: { readonly heading: string; readonly lines: readonly LoopLine[] } | undefined;
  readonly report: { readonly heading: string; readonly lines: readonly LoopLine[] } | undefined;
}

export const trackLabels: Readonly<Record<'runs' | 'planning' | 'maintenance', string>> = { runs: 'Runs', planning: 'Planning', maintenance: 'Maintenance' };

const actionIcons: Readonly<Record<PlannedActionKind, string>> = {
  ensureGapIssue: 'search',
  promoteTask: 'arrow-up',
  dispatchIssue: 'play',
  mergePullRequest: 'git-merge',
  completeTask: 'pass',
  openCapabilityIssue: 'issues',
  closeIssue: 'issue-closed',
  requeueTask: 'debug-restart',
  queueReviewTask: 'checklist',
  requestFix: 'tools',
  analyzeDraft: 'search',
  updateBranch: 'sync',
  askRebase: 'git-compare',
  sendReviewFollowUp: 'comment-discussion',
  queueEmergencyTask: 'flame',
};

/** `in 2 min`, `3 min ago`, `just now`: coarse on purpose, it is re-rendered every second. */
export function formatRelative(iso: string, nowMs: number): string {
  const time = Date.parse(iso);
  if (!Number.isFinite(time)) return iso;
  const seconds = Math.round((time - nowMs) / 1000);
  const size = Math.abs(seconds);
  if (size < 5) return 'just now';
  const amount = size < 60 ? `${size} s` : size < 3600 ? `${Math.floor(size / 60)} min` : size < 86_400 ? `${Math.floor(size / 3600)} h ${Math.floor((size % 3600) / 60)} min` : `${Math.floor(size / 86_400)} d`;
  return seconds > 0 ? `in ${amount}` : `${amount} ago`;
}

function state(loop: PanelLoop, trusted: boolean): LoopViewModel['state'] {
  if (!trusted) return { kind: 'untrusted', label: 'Restricted Mode', detail: 'ATO shows the loop here but takes no action. Trust the workspace to let it act.', icon: 'shield', spin: false, tone: 'warning' };
  if (loop.mode === 'off' || loop.offReason !== null) return { kind: 'off', label: loop.mode === 'off' ? 'Off' : 'Not running', detail: loop.offReason ?? undefined, icon: 'circle-slash', spin: false, tone: 'normal' };
  if (loop.ticking) return { kind: 'ticking', label: 'Ticking…', detail: undefined, icon: 'loading', spin: true, tone: 'normal' };
  if (loop.error !== null) return { kind: 'error', label: 'Error', detail: loop.error, icon: 'error', spin: false, tone: 'error' };
  if (loop.running && loop.pausedUnfocused === true) return { kind: 'pausedUnfocused', label: unfocusedPauseText.label, detail: unfocusedPauseText.detail, icon: 'debug-pause', spin: false, tone: 'normal' };
  return loop.running
    ? { kind: 'running', label: 'Running', detail: undefined, icon: 'sync', spin: false, tone: 'normal' }
    : { kind: 'paused', label: 'Paused', detail: undefined, icon: 'debug-pause', spin: false, tone: 'normal' };
}

function actionLine(track: 'runs' | 'planning' | 'maintenance', action: PanelLoopAction | null, reason: string, waitsFor: 'you' | 'trust' | null = null): LoopLine {
  if (action === null) return { icon: 'circle-slash', text: `${trackLabels[track]}: nothing to do`, detail: reason, tone: 'normal' };
  const detail = reason === '' ? action.reason : reason;
  // An action the tick does not take itself is still named: the merge waits for your click.
  if (waitsFor === 'you') return { icon: 'bell', text: `${trackLabels[track]}: ${action.summary} — waits for you`, detail, tone: 'warning' };
  if (waitsFor === 'trust') return { icon: 'shield', text: `${trackLabels[track]}: ${action.summary} — not taken (untrusted)`, detail, tone: 'warning' };
  return { icon: actionIcons[action.kind], text: `${trackLabels[track]}: ${action.summary}`, detail, tone: 'normal' };
}

function budgetLines(loop: PanelLoop, nowMs: number): LoopLine[] {
  const lines: LoopLine[] = [];
  for (const [name, value] of [['Core API', loop.rateLimit.core], ['GraphQL API', loop.rateLimit.graphql]] as const) {
    if (value === null) continue;
    const tone: Tone = value.remaining === 0 ? 'error' : value.remaining < value.limit / 10 ? 'warning' : 'normal';
    lines.push({ icon: 'dashboard', text: `${name}: ${value.remaining.toLocaleString('en-US')} / ${value.limit.toLocaleString('en-US')} left`, detail: `resets ${formatRelative(value.resetAt, nowMs)}`, tone });
  }
  if (lines.length > 0) return lines;
  if (loop.mode === 'local') return [{ icon: 'dashboard', text: 'Local mode: the loop makes no GitHub requests.', detail: '', tone: 'normal' }];
  return [{ icon: 'dashboard', text: 'No rate-limit budget yet: it appears once ATO has talked to GitHub.', detail: '', tone: 'normal' }];
}

/** How to turn the loop on, in one line, when no GitHub loop runs here; undefined when one does. */
export function collapsedLoopLine(snapshot: Pick<PanelSnapshot, 'trusted' | 'loop'>): LoopViewModel['collapsed'] {
  const loop = snapshot.loop;
  if (loop.mode === 'github') return undefined;
  const why = loop.offReason ?? 'no loop runs in this workspace.';
  if (!snapshot.trusted) return { text: 'Loop off in Restricted Mode: trust this folder to let ATO run it.', tooltip: why };
  if (loop.mode === 'local') return { text: localModeLoopText, tooltip: why };
  return { text: `Loop off: ${why}`, tooltip: why };
}

export function buildLoopModel(snapshot: PanelSnapshot, nowMs: number): LoopViewModel {
  const loop = snapshot.loop;
  const current = loop.stage?.stage;
  const stepper = stageGroups.map(group => ({
    id: group.id,
    label: group.label,
    current: current !== undefined && group.stages.includes(current),
    steps: group.stages.map(id => ({ id, meaning: stageMeanings[id], current: id === current })),
  }));

  const blocked = !snapshot.trusted ? restrictedReason
    : loop.mode === 'off' ? `The loop is off: ${loop.offReason ?? 'no loop runs in this workspace.'}`
      : loop.offReason !== null ? `The loop is not running: ${loop.offReason}` : undefined;
  const busy = blocked ?? (loop.ticking ? 'A tick is running.' : undefined);
  const buttons: LoopButton[] = [
    loop.running
      ? { id: 'pause', label: 'Pause', icon: 'debug-pause', message: { type: 'loop.pause' }, secondary: false, disabledReason: blocked }
      : { id: 'start', label: 'Start', icon: 'debug-start', message: { type: 'loop.start' }, secondary: false, disabledReason: blocked },
    { id: 'tick', label: 'Run One Tick', icon: 'debug-step-over', message: { type: 'loop.tick' }, secondary: true, disabledReason: busy },
    { id: 'preview', label: 'Preview Next Tick', icon: 'eye', message: { type: 'loop.preview' }, secondary: true, disabledReason: busy },
  ];

  const ticks = loop.mode === 'off' || loop.offReason !== null ? '' : [
    loop.lastTickAt === null ? 'no tick yet' : `last tick ${formatRelative(loop.lastTickAt, nowMs)}`,
    !loop.running ? 'paused: no tick scheduled' : loop.pausedUnfocused === true && !loop.ticking ? 'no tick while unfocused' : loop.nextTickAt === null ? 'next tick not scheduled' : Date.parse(loop.nextTickAt) <= nowMs ? 'next tick due now' : `next tick ${formatRelative(loop.nextTickAt, nowMs)}`,
  ].join(' · ');

  const plan = loop.plan === null ? undefined : {
    heading: `Plan${loop.plan.stage === null ? '' : ` at stage ${loop.plan.stage}`} · ${formatRelative(loop.plan.at, nowMs)}`,
    lines: loop.plan.tracks.length === 0
      ? [{ icon: 'circle-slash', text: 'No track has anything to do.', detail: '', tone: 'normal' as const }]
      : loop.plan.tracks.map(track => actionLine(track.track, track.action, track.reason, track.waitsFor)),
  };

  const last = loop.lastReport;
  const report = last === null ? undefined : {
    heading: `Last tick · ${formatRelative(last.at, nowMs)} · ${last.requests === 1 ? '1 request' : `${last.requests} requests`}, ${last.points === 1 ? '1 point' : `${last.points} points`}`,
    lines: last.outcomes.length === 0
      ? [{ icon: 'circle-slash', text: 'It took no action.', detail: '', tone: 'normal' as const }]
      : last.outcomes.map(outcome => ({
        icon: outcome.result === 'done' ? 'pass' : outcome.result === 'skipped' ? 'circle-slash' : 'error',
        text: `${trackLabels[outcome.track]}: ${outcome.summary} — ${outcome.result}`,
        detail: outcome.message,
        tone: outcome.result === 'failed' ? 'error' as const : 'normal' as const,
      })),
  };

  const lease = loop.lease === null || loop.lease.mine ? undefined : { icon: 'lock', text: `Another loop holds the lease: ${loop.lease.holder}`, detail: `expires ${formatRelative(loop.lease.expiresAt, nowMs)}`, tone: 'warning' as const };
  const stage = loop.stage;
  const focus = stage?.focus ?? null;
  return {
    collapsed: collapsedLoopLine(snapshot),
    state: state(loop, snapshot.trusted),
    mode: loop.mode === 'github' ? 'GitHub' : loop.mode === 'local' ? 'Local mode' : undefined,
    stepper,
    stage: stage === null ? undefined : { label: `Stage ${stage.stage} · ${stepper.find(group => group.current)?.label ?? ''}`, meaning: stageMeanings[stage.stage], reason: stage.reason },
    focus: focus === null ? undefined : {
      label: focus.label,
      title: focus.title,
      url: focus.url,
      // An issue or PR titled like the work says only its number (the title is on the line above).
      refs: [
        ...(focus.issue === null ? [] : [{ kind: 'issue' as const, caption: focusRefCaption(`Issue #${focus.issue.number}`, focus.issue.title, focus.title), url: focus.issue.url }]),
        ...(focus.pullRequest === null ? [] : [{ kind: 'pullRequest' as const, caption: focusRefCaption(`PR #${focus.pullRequest.number}`, focus.pullRequest.title, focus.title), url: focus.pullRequest.url }]),
      ],
    },
    counts: loop.counts === null || loop.mode === 'off' ? undefined : loopCountsText(loop.counts),
    ticks,
    budget: loop.mode === 'off' ? [] : budgetLines(loop, nowMs),
    lease,
    buttons,
    plan,
    report,
  };
}
