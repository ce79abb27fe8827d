import { hostAgents } from '../core/agents/fleet/hostAgents';
import { fleetSettingsOf } from '../core/agents/fleet/fleetSettings';
import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import { createDispatchRuntime, type DispatchRuntime } from '../core/dispatch/dispatchRuntime';
import { renderDispatchPreview } from '../core/dispatch/dispatchPreview';
import { describeFanOutReport, dispatchMany, type FanOutReport } from '../core/dispatch/fanOut';
import type { EscalationIssuePort } from '../core/dispatch/escalation';
import { escalationIssuePort } from '../core/dispatch/escalationGitHub';
import { dispatchWhenAllowed } from '../core/dispatch/dispatchWhenAllowed';
import { raiseTaskBudget } from '../core/dispatch/raiseBudget';
import { recoverRuns } from '../core/dispatch/runRecovery';
import { headlessTokenLookup } from '../core/forges/github/githubToken';
import { stallSettingsOf } from '../core/dispatch/stallWatch';
import type { EventLog } from '../core/events/eventLog';
import type { QueueIndex } from '../core/queue/queueIndex';
import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { AtoSettings } from '../core/settings/settings';
import type { CliContext } from './cliContext';
import { openCliEventLog } from './cliEventLog';
import { requestSpacingMs } from './loopCommands';
import { openQueue } from './taskCommands';

declare const ATO_VERSION: string;

interface OpenDispatch {
  readonly runtime: DispatchRuntime;
  readonly index: QueueIndex;
  readonly events: EventLog;
  /** The escalation issue's GitHub, for recovery too. */
  readonly escalation: { escalationIssues?: () => Promise<EscalationIssuePort | undefined> };
  close(): Promise<void>;
}

/** The dispatcher as the settings and environment configure it, for one CLI command. */
async function openDispatch(context: CliContext): Promise<OpenDispatch> {
  const { settings, problems } = readEnvironmentSettings(context.env);
  for (const problem of problems) context.log.warn(problem.message);
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  const index = await openQueue(context);
  const events = await openCliEventLog(context, settings);
  // `agent: copilot` in a task file: Copilot works on the workspace's GitHub origin (the token only for its API).
  const copilot = { token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => secrets.get('github.token')), redactor: context.redactor, userAgent: `ato-cli/${ATO_VERSION}` };
  const agents = await hostAgents({ settings, secrets, workspaceRoot: context.workspaceRoot, log: context.log, allowances: { projectMcpServers: projectMcpServersAllowed(context.env) }, remote: { jules: true, copilot } });
  for (const problem of agents.problems) context.log.warn(problem);
  const issues = escalation(context, settings, () => secrets.get('github.token'));
  const runtime = createDispatchRuntime({
    workspaceRoot: context.workspaceRoot,
    index,
    agents: agents.agents,
    fleet: fleetSettingsOf(settings),
    defaultBudgetUsd: settings['runs.defaultBudgetUsd'],
    maxConcurrentRuns: settings['agents.maxConcurrentRuns'],
    worktreePoolSize: () => settings['agents.worktreePoolSize'],
    defaultTimeoutMs: settings['agents.timeoutMinutes'] * 60_000,
    redactor: context.redactor,
    events,
    log: context.log,
    stall: () => stallSettingsOf(settings),
    ...issues,
  });
  return {
    runtime,
    index,
    events,
    escalation: issues,
    close: async () => {
      await events.flush();
      await runtime.dispatcher.dispose();
      index.dispose();
    },
  };
}

/** The escalation issue's GitHub, when `ato.runs.escalationIssue` is on: the environment's token, for the configured API only. */
function escalation(context: CliContext, settings: AtoSettings, configuredToken: () => Promise<string | undefined>): { escalationIssues?: () => Promise<EscalationIssuePort | undefined> } {
  const spacing = requestSpacingMs(context.env);
  const issues = escalationIssuePort({
    workspaceRoot: context.workspaceRoot,
    settings,
    token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, configuredToken),
    log: context.log,
    redactor: context.redactor,
    userAgent: `ato-cli/${ATO_VERSION}`,
    ...(spacing === undefined ? {} : { retry: { writeSpacingMs: spacing, notificationSpacingMs: spacing } }),
  });
  return issues === undefined ? {} : { escalationIssues: issues };
}

/**
 * Finishes what a crash left (runs marked in progress, escalations, worktrees), reads the queue again, and
 * follows the remote runs still going while this command runs (at its end they are left to the next start).
 */
async function recover(context: CliContext, { runtime, index, events, escalation: issues }: OpenDispatch): Promise<void> {
  const report = await recoverRuns({ agent: agentId => runtime.registry.get(agentId), workspaceRoot: context.workspaceRoot, planningRoot: index.planningRoot, runs: runtime.runs, events, log: context.log, planningWriter: runtime.planningWriter, ...issues });
  await index.coldIndex();
  for (const record of report.reattach) runtime.dispatcher.reattach(record);
}

/**
 * `ato dispatch <id> [--dry-run]`, `ato dispatch a b c`: one task run to its end; or a preview of where it
 * would go and why, moving nothing; or a fan-out of several tasks. Exit 0 when every run succeeded (a
 * preview: when the task would start).
 */
export async function dispatchCommand(context: CliContext, taskIds: readonly string[], dryRun: boolean): Promise<number> {
  if (taskIds.length === 0) {
    context.err('ato dispatch: which task? (`ato tasks` lists them)\n');
    return 2;
  }
  if (dryRun) {
    const [taskId, ...more] = taskIds;
    if (taskId === undefined || more.length > 0) {
      context.err('ato dispatch --dry-run: one task at a time\n');
      return 2;
    }
    return previewCommand(context, taskId);
  }
  const [only] = taskIds;
  return taskIds.length === 1 && only !== undefined ? dispatchOne(context, only) : fanOutCommand(context, taskIds);
}

/** `ato dispatch <id> --dry-run [--json]`: the registry's ranking, without recovering or moving anything. */
async function previewCommand(context: CliContext, taskId: string): Promise<number> {
  const opened = await openDispatch(context);
  try {
    const preview = await opened.runtime.dispatcher.preview(taskId);
    context.out(context.json ? `${JSON.stringify(preview, null, 2)}\n` : renderDispatchPreview(preview));
    return preview.verdict === 'start' ? 0 : 1;
  } finally {
    await opened.close();
  }
}

/** `ato resume <id> --budget <usd>`: raise the task's budget_usd, then run it again as `ato dispatch` does. */
export function resumeWithBudget(context: CliContext, taskId: string, budgetUsd: number): Promise<number> {
  return dispatchOne(context, taskId, budgetUsd);
}

/** `ato dispatch <id>`: recover what a crash left, run the task to the end, report. Exit 0 on success. */
async function dispatchOne(context: CliContext, taskId: string, raiseBudgetTo?: number): Promise<number> {
  const opened = await openDispatch(context);
  const { runtime, index } = opened;
  try {
    await recover(context, opened);
    if (raiseBudgetTo !== undefined) {
      const raised = await raiseTaskBudget(taskId, raiseBudgetTo, { index, writer: runtime.planningWriter, activeRuns: () => runtime.dispatcher.activeRuns() });
      if (raised.status !== 'raised') {
        context.err(`ato resume: ${raised.reason}\n`);
        return raised.status === 'invalid' ? 2 : 1;
      }
      context.err(`budget_usd of ${taskId} is now ${String(raiseBudgetTo)}\n`);
    }
    const resume = index.byId(taskId).some(entry => entry.folder === 'processed') && !index.byId(taskId).some(entry => entry.folder === 'pending');
    const outcome = await dispatchWhenAllowed(() => runtime.dispatcher.dispatch(taskId, { resume }));
    if (outcome.status !== 'started') {
      context.err(`ato dispatch: ${outcome.reason}\n`);
      return 1;
    }
    context.err(`dispatched ${taskId} to ${outcome.agentId} (run ${outcome.runId}); log: ${runtime.runs.logFile(outcome.runId)}\n`);
    const record = await runtime.dispatcher.whenDone(outcome.runId);
    if (context.json) context.out(`${JSON.stringify(record, null, 2)}\n`);
    else context.out(`${record?.state ?? 'unknown'}: ${record?.summary ?? record?.failure?.message ?? ''}\n`);
    return record?.state === 'succeeded' ? 0 : 1;
  } finally {
    await opened.close();
  }
}

/**
 * `ato dispatch a b c`: the fan-out. Each change of a task's report is a line on stderr (started, waiting
 * and why, refused and why, finished); at the end every task's report, on stdout (`--json`: an array).
 */
async function fanOutCommand(context: CliContext, taskIds: readonly string[]): Promise<number> {
  const opened = await openDispatch(context);
  try {
    await recover(context, opened);
    const seen = new Map<string, string>();
    const tell = (reports: readonly FanOutReport[]): void => {
      for (const report of reports) {
        const line = describeFanOutReport(report);
        if (seen.get(report.taskId) === line) continue;
        seen.set(report.taskId, line);
        context.err(`${line}\n`);
      }
    };
    const fanOut = await dispatchMany(taskIds, { dispatcher: opened.runtime.dispatcher, queue: opened.index });
    tell(fanOut.reports());
    fanOut.onDidChange(tell);
    const reports = await fanOut.done;
    fanOut.dispose();
    if (context.json) context.out(`${JSON.stringify(reports, null, 2)}\n`);
    else for (const report of reports) context.out(`${describeFanOutReport(report)}\n`);
    return reports.every(report => report.status === 'finished' && report.state === 'succeeded') ? 0 : 1;
  } finally {
    await opened.close();
  }
}
