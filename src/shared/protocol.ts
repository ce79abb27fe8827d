/**
 * The control panel's protocol: every message between the extension host and the webview. Both sides
 * validate what they receive with these schemas, because the webview renders third-party text and a
 * compromised or stale webview must not be able to drive the host.
 *
 * Flow: the webview posts `ready` once its script runs; only then does the host post: first a full
 * `update` (every part), then updates with only the parts that changed (the queue only when its revision
 * or its items changed, runs by id). A webview that was hidden, or got an update it cannot apply, posts
 * `ready` again and gets a full one, so nothing it missed stays missing.
 */
import * as z from 'zod/mini';
import { externalUrl, issueNumber, panelLoopSchema } from './loopSnapshot';
import { fastArray, readPanelRun, readPanelTask, readString } from './panelListChecks';
import './zod';

export { isPanelRun, isPanelTask } from './panelListChecks';

/** The planning folder as the panel shows it. */
export const planningSnapshotSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('noWorkspace') }),
  z.object({ kind: z.literal('unknown') }),
  z.object({ kind: z.literal('missing'), path: z.string() }),
  z.object({ kind: z.literal('partial'), path: z.string(), missing: z.array(z.string()) }),
  z.object({
    kind: z.literal('ready'),
    path: z.string(),
    /** Valid tasks per folder; `invalid`: files that are not valid tasks, counted apart (once the queue was read). */
    queue: z.object({ pending: z.int().check(z.nonnegative()), processed: z.int().check(z.nonnegative()), complete: z.int().check(z.nonnegative()), invalid: z.optional(z.int().check(z.nonnegative())) }),
  }),
  z.object({ kind: z.literal('error'), path: z.string(), message: z.string() }),
]);

const count = () => z.int().check(z.nonnegative());
const text = () => z.string();

/** Queue folders as the panel names them. */
export const panelQueueFolders = ['pending', 'processed', 'complete'] as const;
export type PanelQueueFolder = (typeof panelQueueFolders)[number];

/**
 * A task file's path relative to the planning folder, as the queue index names it
 * (`issue_queue/pending/add-login.task.md`, `issue_queue/pending/web/add-login.task.md`): one of the three
 * queue folders, then plain names separated by `/`, none of them `.` or `..`; no backslash, no drive or URL.
 * The host still resolves it under the planning folder and checks it.
 */
export const queuePathPattern = /^issue_queue\/(?:pending|processed|complete)(?:\/(?!\.\.?(?:\/|$))[^/\\:]{1,255})+$/;
const queuePath = () => z.string().check(z.regex(queuePathPattern));
/** Ids as the queue and the run store allow them; the host looks them up again before acting. */
const taskId = () => z.string().check(z.minLength(1), z.maxLength(200));
export const panelRunIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const runId = () => z.string().check(z.regex(panelRunIdPattern));

/** One task file of the queue, valid or not. */
export const panelTaskSchema = z.object({
  /** Frontmatter id when it parsed, else from the file name. */
  id: text(),
  /** The task's title, or the file name when it did not parse. */
  title: text(),
  folder: z.enum(panelQueueFolders),
  valid: z.boolean(),
  /** Diagnostics of every severity. */
  diagnostics: count(),
  /** The first error-severity diagnostic's message, for an invalid file. */
  firstError: z.nullable(text()),
  priority: z.nullable(text()),
  type: z.nullable(text()),
  /** `auto` or an agent id. */
  agent: z.nullable(text()),
  /** Why a valid pending task cannot be dispatched yet. */
  blocked: z.nullable(text()),
  /** Relative to the planning folder, `/`-separated. */
  path: text(),
  /** The file's modification time, ISO 8601. */
  mtime: text(),
  /**
   * GitHub mode: false when the loop's planning branch has this file and the working tree does not (promoted
   * on the remote, not pulled yet): the panel then offers no working-tree action (Dispatch, Open), only GitHub.
   */
  inCheckout: z.optional(z.boolean()),
  /** The file on the planning branch on GitHub ("Open on GitHub"), for a file not in the checkout. */
  url: z.optional(externalUrl()),
});
export type PanelTask = z.infer<typeof panelTaskSchema>;

/** Run states (mirrors RunRecord's; src/core/state/panelSnapshot.ts checks they agree). */
export const panelRunStates = ['queued', 'preparing', 'running', 'needsYou', 'succeeded', 'failed', 'cancelled'] as const;
export type PanelRunState = (typeof panelRunStates)[number];
export const activePanelRunStates: ReadonlySet<PanelRunState> = new Set<PanelRunState>(['queued', 'preparing', 'running', 'needsYou']);

export const panelRunSchema = z.object({
  runId: text(),
  taskId: text(),
  agentId: text(),
  state: z.enum(panelRunStates),
  /** ISO 8601; the webview ticks the elapsed time from these. */
  startedAt: text(),
  endedAt: z.nullable(text()),
  costUsd: z.nullable(z.number().check(z.nonnegative())),
  turns: z.nullable(count()),
  branch: z.nullable(text()),
  failure: z.nullable(z.object({ class: text(), message: text() })),
  summary: z.nullable(text()),
  /** A finished local run whose branch can be landed: View Diff, Open PR, Merge, Discard (issue 14). */
  landable: z.optional(z.boolean()),
  /** What was done with its branch, once landed or discarded ("merged ato/x into main as 1a2b3c4"). */
  landing: z.optional(text()),
});
export type PanelRun = z.infer<typeof panelRunSchema>;

const openTaskMessage = z.object({ type: z.literal('openTask'), path: queuePath() });
const dispatchTaskMessage = z.object({ type: z.literal('dispatchTask'), taskId: taskId() });
const cancelRunMessage = z.object({ type: z.literal('cancelRun'), runId: runId() });
const requeueTaskMessage = z.object({ type: z.literal('requeueTask'), taskId: taskId() });
/** Raise the budget_usd of a task its run stopped at, and run it again (`ato.raiseBudgetAndResume` asks how much). */
const raiseBudgetMessage = z.object({ type: z.literal('raiseBudget'), taskId: taskId() });
const showRunLogMessage = z.object({ type: z.literal('showRunLog'), runId: runId() });
/** A finished local run's branch (issue 14): its diff, a pull request, a merge (the host confirms), a discard (the host confirms). */
const landRunMessage = z.object({ type: z.enum(['viewRunDiff', 'openRunPullRequest', 'mergeRun', 'discardRun']), runId: runId() });
const openRunRecordMessage = z.object({ type: z.literal('openRunRecord'), runId: runId() });
const newTaskMessage = z.object({ type: z.literal('newTask') });
/** Agent ids as the registry allows them (custom ids are lowercase; built-in ones too); the host looks them up again. */
export const panelAgentIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const agentId = () => z.string().check(z.regex(panelAgentIdPattern));
const approvePlanMessage = z.object({ type: z.literal('approvePlan'), taskId: taskId() });
const showTaskEventsMessage = z.object({ type: z.literal('showTaskEvents'), taskId: taskId() });
/** At most this many tasks in one fan-out from the panel. */
export const maxFanOutTasks = 100;
const loopMergeMessage = z.object({ type: z.literal('loop.merge'), pullNumber: issueNumber() });
/** "Fix now" and "Send to…" on a PR under care (issue 11): the host asks which agent for the second. */
const loopFixMessage = z.object({ type: z.enum(['loop.fixPullRequest', 'loop.sendPullRequestTo']), pullNumber: issueNumber() });
const openExternalMessage = z.object({ type: z.literal('openExternal'), url: externalUrl() });

/** Kinds of "needs you" items: the queue's and the runs' (first four), then the loop's. */
export const needsYouKinds = [
  'invalidTask', 'runFailed', 'runNeedsYou', 'corruptRunRecord',
  'readyToMerge', 'workflowsAwaitingApproval', 'issueClosedOutsideLoop', 'fixAttemptsExhausted', 'mergeBlocked',
  /** A Jules run waiting for its plan to be approved. */
  'planAwaitingApproval',
] as const;
export type NeedsYouKind = (typeof needsYouKinds)[number];

/** Something a human must act on, with its one action (a message the webview posts as is). */
export const needsYouItemSchema = z.object({
  kind: z.enum(needsYouKinds),
  /** Stable across snapshots: the task path, the run id, or the loop item's kind and number. */
  key: text(),
  title: text(),
  detail: text(),
  /** The action's label; empty when the item has no action at all. */
  label: text(),
  /** Null when the item has no action (empty label) or its path or id cannot be named in a message (then the panel says so). */
  action: z.nullable(z.discriminatedUnion('type', [openTaskMessage, showRunLogMessage, openRunRecordMessage, dispatchTaskMessage, requeueTaskMessage, raiseBudgetMessage, loopMergeMessage, openExternalMessage, approvePlanMessage])),
  /** The issue or PR on GitHub, offered as a second action when it is not the action itself. */
  url: z.nullable(externalUrl()),
});
export type NeedsYouItem = z.infer<typeof needsYouItemSchema>;

const money = () => z.number().check(z.nonnegative());

/** One agent of the fleet: health, limits and headroom, its vendor window, its last error. */
export const panelAgentSchema = z.object({
  id: z.string().check(z.regex(panelAgentIdPattern)),
  kind: z.enum(['claude-code', 'custom', 'claude', 'copilot', 'jules']),
  health: z.enum(['ok', 'failing', 'unchecked']),
  healthDetail: text(),
  inFlight: count(),
  concurrentCap: count(),
  runsToday: count(),
  /** Null: no daily cap. */
  dailyCap: z.nullable(count()),
  spendTodayUsd: money(),
  /** Null: no budget. */
  budgetUsd: z.nullable(money()),
  /** The vendor's window while it is closed: until when (ISO 8601) and why. */
  window: z.nullable(z.object({ closedUntil: text(), reason: text() })),
  lastError: z.nullable(text()),
});
export type PanelAgent = z.infer<typeof panelAgentSchema>;

/**
 * Bumped when a message's shape changes incompatibly. The webview checks it before anything else and, on a
 * mismatch (a panel left open across an update of the extension), says so instead of rendering nothing.
 */
export const panelProtocolVersion = 6;

/** The small part of the snapshot: the workspace, trust, the planning folder, accounts and settings. */
export const panelHeadSchema = z.object({
  workspaceName: z.nullable(z.string()),
  /** False in Restricted Mode: the panel shows state, every action is disabled. */
  trusted: z.boolean(),
  planning: planningSnapshotSchema,
  auth: z.object({
    github: z.enum(['unknown', 'none', 'session', 'token']),
    githubAccount: z.nullable(z.string()),
    gitlab: z.boolean(),
    jules: z.boolean(),
    anthropic: z.boolean(),
  }),
  settingsProblems: z.array(z.object({ setting: z.string(), message: z.string() })),
});
export type PanelHead = z.infer<typeof panelHeadSchema>;

/** The queue index, or null before it has read the planning folder (or without one). */
export const panelQueueSchema = z.nullable(z.object({
  revision: count(),
  counts: z.object({ pending: count(), processed: count(), complete: count(), invalid: count() }),
  /** Every task file: valid pending in dispatch order, then processed, complete, then invalid ones. */
  items: fastArray(readPanelTask, panelTaskSchema),
  /** GitHub mode: the queue is the loop's planning branch (not the working tree), and how the working tree differs. */
  source: z.optional(z.object({ branch: z.string(), notInCheckout: count(), onlyInCheckout: count() })),
}));

/** The whole state the panel renders: the host builds it, the webview reassembles it from the parts it got. */
export const panelSnapshotSchema = z.object({
  ...panelHeadSchema.shape,
  queue: panelQueueSchema,
  /** Runs in progress and recent ones, newest first. */
  runs: z.array(panelRunSchema),
  /** The loop's items first, then runs, then invalid task files. */
  needsYou: z.array(needsYouItemSchema),
  /** The planning loop: stage, plan, last tick, budget, red PRs. */
  loop: panelLoopSchema,
  /** The configured agents, in the registry's order. */
  agents: z.array(panelAgentSchema),
});
export type PanelSnapshot = z.infer<typeof panelSnapshotSchema>;

/** The parts of a snapshot the host sends separately, each only when it changed. */
export const panelParts = ['head', 'queue', 'runs', 'needsYou', 'loop', 'agents'] as const;
export type PanelPart = (typeof panelParts)[number];

/**
 * The runs part: `changed` holds every run that is new or differs from the one of the same id the webview
 * has; `ids` the order of all runs (newest first), sent only when it changed. A full update sends both whole.
 */
export const panelRunsPartSchema = z.object({
  ids: z.optional(fastArray(readString, text())),
  changed: fastArray(readPanelRun, panelRunSchema),
});
export type PanelRunsPart = z.infer<typeof panelRunsPartSchema>;

/** What one `update` carries: only the parts that changed since the last one (all of them when `full`). */
export const panelUpdatePartsSchema = z.object({
  head: z.optional(panelHeadSchema),
  queue: z.optional(panelQueueSchema),
  runs: z.optional(panelRunsPartSchema),
  needsYou: z.optional(z.array(needsYouItemSchema)),
  loop: z.optional(panelLoopSchema),
  agents: z.optional(z.array(panelAgentSchema)),
});
export type PanelUpdateParts = z.infer<typeof panelUpdatePartsSchema>;

export const panelUpdateSchema = z.object({
  type: z.literal('update'),
  version: z.literal(panelProtocolVersion),
  /** True for the first update after `ready`: every part, nothing kept from before. */
  full: z.boolean(),
  parts: panelUpdatePartsSchema,
}).check(z.refine(update => !update.full || panelParts.every(part => update.parts[part] !== undefined), { error: 'a full update carries every part', path: ['parts'] }));
export type PanelUpdate = z.infer<typeof panelUpdateSchema>;

/** What became of one task of a fan-out ("Dispatch selected"). */
export const panelDispatchOutcomeSchema = z.object({
  taskId: text(),
  status: z.enum(['started', 'waiting', 'refused']),
  /** The agent and run when started; why, when waiting or refused. */
  detail: text(),
});
export type PanelDispatchOutcome = z.infer<typeof panelDispatchOutcomeSchema>;

/** The registry's ranking for one task: each agent, eligible or not, its score and every reason. */
export const panelPreviewSchema = z.object({
  taskId: text(),
  /** The agent a dispatch would choose now, or null (with `summary` saying why). */
  chosen: z.nullable(text()),
  summary: text(),
  candidates: z.array(z.object({
    agentId: text(),
    eligible: z.boolean(),
    score: z.nullable(z.number()),
    reasons: z.array(text()),
  })),
});
export type PanelPreview = z.infer<typeof panelPreviewSchema>;

/** Host → webview. */
export const toWebviewMessageSchema = z.discriminatedUnion('type', [
  /** The state, in parts (see `panelUpdateSchema`). */
  panelUpdateSchema,
  /** The answer to `dispatchTasks`, per task. */
  z.object({ type: z.literal('dispatchResult'), outcomes: z.array(panelDispatchOutcomeSchema) }),
  /** The answer to `previewDispatch`. */
  z.object({ type: z.literal('preview'), preview: panelPreviewSchema }),
]);
export type ToWebviewMessage = z.infer<typeof toWebviewMessageSchema>;

/** What a panel button may ask the host to do. Each maps to exactly one command. */
export const panelActions = ['initPlanningFolder', 'signInToGitHub', 'setGitHubToken', 'doctor', 'refresh', 'showLog', 'manageTrust'] as const;
export type PanelAction = (typeof panelActions)[number];

/** Actions that change something; refused in Restricted Mode. */
export const mutatingPanelActions: ReadonlySet<PanelAction> = new Set<PanelAction>(['initPlanningFolder', 'signInToGitHub', 'setGitHubToken', 'doctor']);

/** Webview → host. */
export const toHostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('action'), action: z.enum(panelActions) }),
  /** Open a task file in an editor. */
  openTaskMessage,
  /** Dispatch a pending task now (`ato.dispatchTask`). */
  dispatchTaskMessage,
  /** Cancel a run (`ato.cancelRun`). */
  cancelRunMessage,
  /** Put a failed, cancelled or interrupted task back in pending/ (`ato.requeueTask`). */
  requeueTaskMessage,
  /** Raise a budget-stopped task's budget_usd and resume it (`ato.raiseBudgetAndResume`). */
  raiseBudgetMessage,
  /** Show a run's log (`ato.showRunLog`). */
  showRunLogMessage,
  /** Open a run record that could not be read (one the snapshot reported), to fix or delete it. */
  openRunRecordMessage,
  /** View a finished local run's diff, open a PR from it, merge it, or discard it (`ato.viewRunDiff` … `ato.discardRun`). */
  landRunMessage,
  /** Create a task file (`ato.newTask`). */
  newTaskMessage,
  /** Start the loop's timer (`ato.startLoop`). */
  z.object({ type: z.literal('loop.start') }),
  /** Pause it (`ato.pauseLoop`). */
  z.object({ type: z.literal('loop.pause') }),
  /** Run one tick now (`ato.runTick`). */
  z.object({ type: z.literal('loop.tick') }),
  /** Show what the next tick would do (`ato.previewTick`). */
  z.object({ type: z.literal('loop.preview') }),
  /** Merge a ready PR through the loop's guarded action (`ato.mergePullRequest`). */
  loopMergeMessage,
  /** Ask the maintenance track to fix a PR now, by its agent (`ato.fixPullRequest`) or one the user picks (`ato.sendPullRequestTo`). */
  loopFixMessage,
  /** Open an http(s) link in the browser; the host opens only links it has sent in a snapshot. */
  openExternalMessage,
  /** Run Doctor's check for one agent (`ato.testAgent`). */
  z.object({ type: z.literal('testAgent'), agentId: agentId() }),
  /** Open the agent's setting (the host picks it from the agent it knows). */
  z.object({ type: z.literal('configureAgent'), agentId: agentId() }),
  /** Approve the plan of a Jules run waiting for it (`ato.approvePlan`). */
  approvePlanMessage,
  /** Dispatch several pending tasks at once (`ato.dispatchTasks`). */
  z.object({ type: z.literal('dispatchTasks'), taskIds: z.array(taskId()).check(z.minLength(1), z.maxLength(maxFanOutTasks)) }),
  /** Show the registry's ranking for a pending task (`ato.previewDispatch`). */
  z.object({ type: z.literal('previewDispatch'), taskId: taskId() }),
  /** Show one task's events, and its runs' (`ato.showTaskEvents`). */
  showTaskEventsMessage,
]);
export type ToHostMessage = z.infer<typeof toHostMessageSchema>;
export type ToHostMessageType = ToHostMessage['type'];

/** Whether a message asks the host to change something, which Restricted Mode refuses. */
export function isMutatingMessage(message: ToHostMessage): boolean {
  switch (message.type) {
    case 'ready':
    case 'openTask':
    case 'showRunLog':
    case 'openRunRecord':
    case 'openExternal':
    case 'configureAgent':
    case 'viewRunDiff':
    case 'showTaskEvents':
      return false;
    case 'action':
      return mutatingPanelActions.has(message.action);
    case 'dispatchTask':
    case 'cancelRun':
    case 'requeueTask':
    case 'raiseBudget':
    case 'newTask':
    case 'loop.start':
    case 'loop.pause':
    case 'loop.tick':
    case 'loop.preview':
    case 'loop.merge':
    case 'loop.fixPullRequest':
    case 'loop.sendPullRequestTo':
    case 'testAgent':
    case 'approvePlan':
    case 'dispatchTasks':
    case 'previewDispatch':
    case 'openRunPullRequest':
    case 'mergeRun':
    case 'discardRun':
      // Every loop action talks to GitHub or acts; a preview makes requests too; a test runs the agent's CLI.
      return true;
  }
}

export type ParseResult<T> = { readonly ok: true; readonly message: T } | { readonly ok: false; readonly error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue === undefined || issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
  return { ok: false, error: `invalid message${where}: ${issue?.message ?? 'unknown problem'}` };
}

export function parseToHostMessage(raw: unknown): ParseResult<ToHostMessage> {
  return parseWith(toHostMessageSchema, raw);
}

export function parseToWebviewMessage(raw: unknown): ParseResult<ToWebviewMessage> {
  return parseWith(toWebviewMessageSchema, raw);
}

/**
 * A message from a host that speaks another protocol version: an `update` of another version, or a
 * `snapshot` (how versions up to 5 sent the state). Gives the version it says (possibly not a number), or
 * undefined for any other message. Checked before parsing, so the panel can say what is wrong instead of
 * dropping every message.
 */
export function foreignProtocolVersion(raw: unknown): { readonly version: unknown } | undefined {
  if (!isRecord(raw)) return undefined;
  if (raw['type'] === 'update') return raw['version'] === panelProtocolVersion ? undefined : { version: raw['version'] };
  if (raw['type'] === 'snapshot') return { version: isRecord(raw['snapshot']) ? raw['snapshot']['version'] : undefined };
  return undefined;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
