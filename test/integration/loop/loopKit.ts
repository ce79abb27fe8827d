import assert from 'node:assert/strict';
import type { AgentBackend } from '../../../src/core/agents/agentBackend';
import type { FleetRuns } from '../../../src/core/dispatch/fleetRuns';
import type { EventInput } from '../../../src/core/events/eventLog';
import { headlessTokenLookup } from '../../../src/core/forges/github/githubToken';
import type { GitHubRetryOptions } from '../../../src/core/forges/github/octokitFactory';
import { createLogger } from '../../../src/core/logging/logger';
import { Redactor } from '../../../src/core/logging/redactor';
import { createGitHubLoop, type GitHubLoopResult } from '../../../src/core/loop/github/createGitHubLoop';
import type { LoopTimers } from '../../../src/core/loop/engine/loopEngine';
import { initialLoopState, type LoopState, type TickReport } from '../../../src/core/loop/engine/loopModel';
import { readSettings, type SettingKey } from '../../../src/core/settings/settings';
import type { FakeGitHub } from '../../fakes/github/fakeGitHub';
import { gitAsync } from './loopHarness';

/** Every adapter wait shrunk to milliseconds: retry-after and backoff seconds become ms, no request spacing. */
export const fastRetry: GitHubRetryOptions = { msPerSecond: 1, writeSpacingMs: 0, notificationSpacingMs: 0 };

/** Timers that never fire (tests tick by hand) and remember each delay the engine asked for. */
export interface RecordingTimers extends LoopTimers {
  readonly delays: number[];
}

export function recordingTimers(): RecordingTimers {
  const delays: number[] = [];
  return { delays, setTimeout: (_callback, ms) => { delays.push(ms); return delays.length; }, clearTimeout: () => undefined };
}

export interface KitLoop {
  readonly result: Extract<GitHubLoopResult, { kind: 'ready' }>;
  readonly events: EventInput[];
  readonly timers: RecordingTimers;
  state(): LoopState;
  tick(): Promise<TickReport>;
  /** Stops the loop and waits for it to give its lease up (the requests that makes). */
  close(): Promise<void>;
}

export interface KitLoopOptions {
  readonly settings?: Partial<Record<SettingKey, unknown>>;
  readonly holder?: string;
  readonly checkpoint?: (name: string) => void | Promise<void>;
  /** The loop's clock; default the real one. */
  readonly now?: () => Date;
  readonly retry?: GitHubRetryOptions;
  /** Default: the fake's URL. */
  readonly apiUrl?: string;
  /** The loop's redactor (for its log and everything it writes to GitHub); default one that knows no secret. */
  readonly redactor?: Redactor;
  /** Configured local agents the loop may hand tasks to. */
  readonly localAgents?: readonly AgentBackend[];
  /** The fleet the local runs take their slots and records from (a dispatcher's); default the loop's own. */
  readonly fleetRuns?: () => Promise<FleetRuns | undefined>;
  /** A process that reads once (the CLI's status and tick): its read does not wait for the probe. */
  readonly readsOnce?: boolean;
}

/** The GitHub loop on a clone of the fake, as the extension builds it, with fast adapter waits by default. */
export async function openKitLoop(fake: FakeGitHub, workspaceRoot: string, options: KitLoopOptions = {}): Promise<KitLoop> {
  const overrides: Partial<Record<SettingKey, unknown>> = { 'github.apiUrl': options.apiUrl ?? fake.apiUrl, 'merge.auto': true, ...options.settings };
  const { settings, problems } = readSettings(key => overrides[key]);
  assert.deepEqual(problems, [], 'test settings are valid');
  let state: LoopState = initialLoopState;
  const events: EventInput[] = [];
  const timers = recordingTimers();
  const redactor = options.redactor ?? new Redactor();
  const result = await createGitHubLoop({
    workspaceRoot,
    settings,
    token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => Promise.resolve(fake.token)),
    log: createLogger({ write: () => undefined }, redactor),
    redactor,
    appendEvent: event => { events.push(event); },
    updateLoop: recipe => { state = recipe(state); },
    trusted: () => true,
    userAgent: 'ato-test',
    timers,
    retry: options.retry ?? fastRetry,
    ...(options.now === undefined ? {} : { now: options.now }),
    ...(options.holder === undefined ? {} : { holder: options.holder }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
    ...(options.localAgents === undefined ? {} : { localAgents: options.localAgents }),
    ...(options.fleetRuns === undefined ? {} : { fleetRuns: options.fleetRuns }),
    ...(options.readsOnce === undefined ? {} : { readsOnce: options.readsOnce }),
  });
  if (result.kind !== 'ready') throw new Error(`no loop: ${result.reason}`);
  return { result, events, timers, state: () => state, tick: () => result.engine.tickNow(), close: () => result.engine.close() };
}

/** The actions a tick took, with their results: `['promoteTask:done']`. */
export function outcomesOf(report: TickReport): string[] {
  return report.outcomes.map(outcome => `${outcome.action.kind}:${outcome.result}`);
}

/** Ticks, and fails the test when an action failed. */
export async function tickOk(loop: KitLoop): Promise<string[]> {
  const report = await loop.tick();
  const failed = report.outcomes.filter(outcome => outcome.result === 'failed');
  assert.deepEqual(failed.map(outcome => outcome.message), [], 'no action failed');
  return outcomesOf(report);
}

export const queueFolders = ['pending', 'processed', 'complete'] as const;
export type QueueFolder = (typeof queueFolders)[number];

export function queuePath(folder: QueueFolder, taskId: string): string {
  return `planning/issue_queue/${folder}/${taskId}.task.md`;
}

/** A valid development task file. */
export function taskText(taskId: string): string {
  return `---
id: ${taskId}
type: feature
priority: high
---
# Build ${taskId}

**Prompt:**
Build ${taskId}.

**Success Criteria:**
- [ ] ${taskId} works
`;
}

/** A person queues a task: one commit on main adding it to pending/. */
export async function queueTask(fake: FakeGitHub, taskId: string): Promise<void> {
  await fake.simulate.pushFiles('main', { [queuePath('pending', taskId)]: taskText(taskId) }, `Queue ${taskId}`);
}

/** The queue folders that hold the task on the fake's main (must be exactly one). */
export async function foldersOf(fake: FakeGitHub, taskId: string): Promise<QueueFolder[]> {
  const repo = fake.state.repo('octo', 'app');
  const found: QueueFolder[] = [];
  for (const folder of queueFolders) if (await repo.readFile('main', queuePath(folder, taskId)) !== undefined) found.push(folder);
  return found;
}

/** Commits on the fake's main that touch the task's file in any queue folder (the queueing commit included). */
export async function commitsTouchingTask(fake: FakeGitHub, taskId: string): Promise<number> {
  const { gitDir } = fake.state.repo('octo', 'app');
  const out = await gitAsync(gitDir, 'log', '--format=%H', 'refs/heads/main', '--', ...queueFolders.map(folder => queuePath(folder, taskId)));
  return out === '' ? 0 : out.split('\n').length;
}

export interface IssueCounts {
  readonly gap: number;
  readonly tasks: ReadonlyMap<string, number>;
  readonly capabilities: ReadonlyMap<number, number>;
}

/** ATO's issues on the fake, counted by their markers (never by title). */
export function issuesByMarker(fake: FakeGitHub): IssueCounts {
  const tasks = new Map<string, number>();
  const capabilities = new Map<number, number>();
  let gap = 0;
  for (const issue of fake.state.repo('octo', 'app').issues) {
    const body = issue.body ?? '';
    if (body.includes('<!-- ato:kind=gap-analysis -->')) gap++;
    for (const match of body.matchAll(/^<!-- ato:task=(\S+) -->$/gm)) if (match[1] !== undefined) tasks.set(match[1], (tasks.get(match[1]) ?? 0) + 1);
    for (const match of body.matchAll(/^<!-- ato:kind=capability-update source-pr=(\d+) -->$/gm)) capabilities.set(Number(match[1]), (capabilities.get(Number(match[1])) ?? 0) + 1);
  }
  return { gap, tasks, capabilities };
}

/** No issue or PR carries the same comment twice. */
export function assertNoDuplicateComments(fake: FakeGitHub): void {
  const seen = new Set<string>();
  for (const comment of fake.state.repo('octo', 'app').comments()) {
    const key = `${String(comment.issueNumber)}\n${comment.body}`;
    assert.ok(!seen.has(key), `comment on #${String(comment.issueNumber)} doubled: ${comment.body.slice(0, 80)}`);
    seen.add(key);
  }
}

/** Copilot opens a PR for the issue, CI is green and it finishes: the PR is ready to merge. Returns its number. */
export async function copilotDelivers(fake: FakeGitHub, issueNumber: number, files: Readonly<Record<string, string>>): Promise<number> {
  const pr = await fake.simulate.copilotOpensPullRequest(issueNumber, { files });
  await fake.simulate.setCheckRuns(pr, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
  await fake.simulate.copilotFinishes(pr);
  return pr;
}

/** The issue carrying a task's marker. */
export function taskIssueNumber(fake: FakeGitHub, taskId: string): number {
  const issue = fake.state.repo('octo', 'app').issues.find(i => (i.body ?? '').includes(`<!-- ato:task=${taskId} -->`));
  assert.ok(issue, `an issue for task ${taskId}`);
  return issue.number;
}

/** The open gap-analysis issue. */
export function openGapIssue(fake: FakeGitHub): number {
  const issue = fake.state.repo('octo', 'app').issues.find(i => i.state === 'open' && (i.body ?? '').includes('<!-- ato:kind=gap-analysis -->'));
  assert.ok(issue, 'an open gap-analysis issue');
  return issue.number;
}

/** CI is green on the PR and alice, given write access, approves it: the merge policy's signals. */
export async function greenAndApproved(fake: FakeGitHub, pull: number): Promise<void> {
  await fake.simulate.setCheckRuns(pull, [{ name: 'ci/build', status: 'completed', conclusion: 'success' }]);
  await fake.simulate.grantWriteAccess('alice');
  await fake.simulate.approve(pull, 'alice');
}
