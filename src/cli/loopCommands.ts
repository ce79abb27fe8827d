import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import { hostAgents } from '../core/agents/fleet/hostAgents';
import { ensureAtoDirectory } from '../core/events/atoDirectory';
import { EventLog } from '../core/events/eventLog';
import { headlessTokenLookup } from '../core/forges/github/githubToken';
import { nodeHttpFetch } from '../core/forges/github/nodeHttpFetch';
import { createGitHubLoop, type GitHubLoopResult } from '../core/loop/github/createGitHubLoop';
import { acquireLoopLock, type LoopLock } from '../core/loop/engine/localLock';
import { initialLoopState, type LoopState, type TickPlan, type TickReport } from '../core/loop/engine/loopModel';
import { loopStatusOf } from '../core/state/loopStatus';
import type { StatusLoop } from '../core/state/statusDocument';
import { describeTrackPlan } from '../core/views/loopText';
import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { cliEnvironmentVariables, readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';

declare const ATO_VERSION: string;

/** Exit code when another loop on this machine holds the workspace's lock. */
export const lockedExitCode = 3;

interface CliLoop {
  readonly loop: GitHubLoopResult;
  readonly state: () => LoopState;
  readonly close: () => Promise<void>;
}

/** `readsOnce`: the command reads GitHub once and ends (status, tick): its read does not wait for the probe. */
export async function openLoop(context: CliContext, { readsOnce = false } = {}): Promise<CliLoop> {
  const { settings } = readEnvironmentSettings(context.env);
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  // The environment's token is for the configured API (ATO_GITHUB_API_URL, default api.github.com) only.
  const token = headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => secrets.get('github.token'));
  const events = new EventLog({ directory: await ensureAtoDirectory(context.workspaceRoot), maxFileBytes: settings['eventLog.maxFileSizeMB'] * 1024 * 1024, maxFiles: settings['eventLog.maxFiles'], redactor: context.redactor });
  let state: LoopState = initialLoopState;
  const pending = new Set<Promise<void>>();
  const spacing = requestSpacingMs(context.env);
  const holder = context.env[cliEnvironmentVariables.loopHolder.name];
  const loop = await createGitHubLoop({
    workspaceRoot: context.workspaceRoot,
    settings,
    token,
    log: context.log,
    redactor: context.redactor,
    appendEvent: event => {
      const write = events.append({ ...event, source: 'cli' }).catch((error: unknown) => { context.log.warn('Event log: %s', error); });
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    updateLoop: recipe => { state = recipe(state); },
    trusted: () => true,
    userAgent: `ato-cli/${ATO_VERSION}`,
    ...(holder === undefined ? {} : { holder }),
    ...(spacing === undefined ? {} : { retry: { writeSpacingMs: spacing, notificationSpacingMs: spacing } }),
    // Reads once and ends: plain node:http, not Node's fetch, whose first use compiles its HTTP client (issue 14).
    ...(readsOnce ? { readsOnce, fetch: nodeHttpFetch } : {}),
    // The loop's agents: the local ones, and Jules when it is enabled and its key is set (ATO_JULES_API_KEY); Copilot the loop builds itself.
    julesApiKey: () => secrets.get('jules.apiKey'),
    localAgents: (await hostAgents({ settings, secrets, workspaceRoot: context.workspaceRoot, log: context.log, allowances: { projectMcpServers: projectMcpServersAllowed(context.env) }, remote: { jules: true } })).agents,
  });
  // A local agent the loop started works to its PR before the command ends (ato tick, ato run).
  return { loop, state: () => state, close: async () => { if (loop.kind === 'ready') await Promise.all([loop.localRuns.settled(), loop.maintenanceAgents.settled?.()]); await Promise.all(pending); } };
}

/**
 * `ATO_GITHUB_REQUEST_SPACING_MS`: the pause between writes (GitHub asks for 1 s, and 3 s before requests
 * that notify people). Only for a fake or a test server, where the pauses are wasted time.
 */
/** `ATO_GITHUB_REQUEST_SPACING_MS`: the spacing of GitHub writes, for a fake or test server only. */
export function requestSpacingMs(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env[cliEnvironmentVariables.requestSpacing.name]?.trim();
  return raw !== undefined && /^\d{1,6}$/.test(raw) ? Number(raw) : undefined;
}

/** Runs `work` holding the workspace's loop lock, so two processes on one machine never act at once. */
export async function withLock(context: CliContext, owner: string, work: () => Promise<number>): Promise<number> {
  const attempt = await acquireLoopLock(context.workspaceRoot, { owner });
  if (!attempt.acquired) {
    const who = attempt.holder === undefined ? 'another loop' : `${attempt.holder.owner} (pid ${String(attempt.holder.pid)} on ${attempt.holder.host}, since ${attempt.holder.startedAt})`;
    context.err(`ato: ${who} runs the loop in this workspace; not acting.\n`);
    return lockedExitCode;
  }
  const lock: LoopLock = attempt.lock;
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

export function unavailable(context: CliContext, loop: Extract<GitHubLoopResult, { kind: 'unavailable' }>): number {
  if (context.json) context.out(`${JSON.stringify({ mode: loop.mode, reason: loop.reason }, null, 2)}\n`);
  else context.err(`ato: ${loop.reason}\n`);
  return 2;
}

/**
 * The loop's part of `ato status` (the contract in core/state/statusDocument.ts): stage, reason, focus, next
 * steps, counts from the planning branch, followed PRs with their CI and verdict, red PRs, needs-you and
 * rate-limit budgets — from a dry run (reads only). Without a usable GitHub remote: the mode and why.
 */
export async function loopStatus(context: CliContext): Promise<StatusLoop> {
  const { loop, state, close } = await openLoop(context, { readsOnce: true });
  if (loop.kind === 'unavailable') return { available: false, mode: loop.mode, reason: loop.reason };
  try {
    const plan = await loop.engine.preview();
    return loopStatusOf(state(), plan, { repository: loop.repo, branch: loop.branch });
  } finally {
    await loop.engine.close();
    await close();
  }
}

function planJson(plan: TickPlan): unknown {
  return {
    stage: plan.stage?.stage,
    reason: plan.stage?.reason,
    focus: plan.stage?.focus,
    // A held action (a merge waiting for you) is named too; `waitsFor` says the tick leaves it to a person.
    tracks: plan.tracks.map(track => ({ track: track.track, action: track.action ?? track.held?.action ?? null, waitsFor: track.held?.waitsFor ?? null, reason: track.reason })),
    needsYou: plan.stage?.needsYou ?? [],
  };
}

function printPlan(context: CliContext, plan: TickPlan): void {
  context.out(`stage ${plan.stage?.stage ?? '?'}: ${plan.stage?.reason ?? ''}\n`);
  for (const track of plan.tracks) context.out(`  ${track.track}: ${describeTrackPlan(track)}\n`);
}

function printReport(context: CliContext, report: TickReport): void {
  printPlan(context, report.plan);
  for (const outcome of report.outcomes) context.out(`  → ${outcome.result}: ${outcome.message}\n`);
  context.out(`  (${String(report.requests)} GitHub requests, ${String(report.points)} rate-limit points)\n`);
}

/** `ato tick [--dry-run] [--json]`: one tick (or its plan); exit 1 when an action failed. */
export async function tick(context: CliContext, dryRun: boolean): Promise<number> {
  const body = async (): Promise<number> => {
    const { loop, close } = await openLoop(context, { readsOnce: true });
    if (loop.kind === 'unavailable') return unavailable(context, loop);
    try {
      if (dryRun) {
        const plan = await loop.engine.preview();
        if (context.json) context.out(`${JSON.stringify(context.redactor.redactValue({ dryRun: true, ...(planJson(plan) as object) }), null, 2)}\n`);
        else printPlan(context, plan);
        return 0;
      }
      const report = await loop.engine.tickNow();
      if (context.json) context.out(`${JSON.stringify(context.redactor.redactValue({ dryRun: false, ...(planJson(report.plan) as object), outcomes: report.outcomes.map(o => ({ action: o.action.kind, result: o.result, message: o.message })), requests: report.requests, points: report.points }), null, 2)}\n`);
      else printReport(context, report);
      return report.outcomes.some(o => o.result === 'failed') ? 1 : 0;
    } finally {
      // Gives the lease up: the next `ato tick` (here or anywhere) need not wait for it to expire.
      await loop.engine.close();
      await close();
    }
  };
  // A dry run writes nothing, so it needs no lock.
  return dryRun ? body() : withLock(context, 'ato tick', body);
}

/** `ato run [--max-ticks n]`: the loop on its own timer until SIGINT/SIGTERM (or n ticks). */
export async function run(context: CliContext, maxTicks: number | undefined): Promise<number> {
  return withLock(context, 'ato run', async () => {
    const { loop, state, close } = await openLoop(context);
    if (loop.kind === 'unavailable') return unavailable(context, loop);
    let ticks = 0;
    let lastReport: TickReport | undefined;
    let lastError: string | undefined;
    return await new Promise<number>(resolve => {
      // eslint-disable-next-line prefer-const -- assigned once below; `stop` (declared first) clears it
      let watch: NodeJS.Timeout | undefined;
      const stop = (code: number): void => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        clearInterval(watch);
        // The loop stops: its lease is given up, so another loop need not wait for it to expire.
        void loop.engine.close().then(close).then(() => { resolve(code); });
      };
      const onSignal = (): void => { stop(0); };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // The engine publishes each tick's report (or error) in the state; print each one once.
      watch = setInterval(() => {
        const current = state();
        if (current.error !== undefined && current.error !== lastError) context.err(`ato: tick failed: ${current.error}\n`);
        lastError = current.error;
        const report = current.lastReport;
        if (report === undefined || report === lastReport) return;
        lastReport = report;
        ticks += 1;
        if (context.json) context.out(`${JSON.stringify(context.redactor.redactValue({ tick: ticks, ...(planJson(report.plan) as object), outcomes: report.outcomes.map(o => ({ action: o.action.kind, result: o.result, message: o.message })), requests: report.requests, points: report.points }))}\n`);
        else printReport(context, report);
        if (maxTicks !== undefined && ticks >= maxTicks) stop(0);
      }, 50);
      loop.engine.start();
    });
  });
}
