import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseTaskFile } from '../../tasks/parseTaskFile';
import { isWithin } from '../../util/pathContainment';
import type { RunLanding as RunLandingRecord, RunRecord } from '../runRecord';
import type { RunStore } from '../runStore';
import { discardRunBranch } from './discardRun';
import { LandingError } from './landingError';
import { landableTarget, landingTarget, laterRunOnBranch, type LandingTarget } from './landingTarget';
import { mergeRunBranch } from './mergeRun';
import { fileAtCommit, runDiffFiles, runDiffRange, runDiffText, type RunDiffFile, type RunDiffRange } from './runDiff';
import { openRunPullRequest, runPullRequestText, type RunPullRequestForge } from './runPullRequest';

export interface RunLandingOptions {
  readonly workspaceRoot: string;
  readonly runs: RunStore;
  /** GitHub for Open PR (the remote, its token, its default branch), or why there is none. */
  readonly forge?: () => Promise<RunPullRequestForge | { readonly unavailable: string }>;
  readonly now?: () => Date;
}

export interface RunDiff {
  readonly record: RunRecord;
  readonly range: RunDiffRange;
  readonly files: readonly RunDiffFile[];
}

export type LandingResult =
  /** `already`: the record said so before this call (a second click), nothing was done again. */
  | { readonly kind: 'merged' | 'discarded'; readonly record: RunRecord; readonly message: string; readonly already: boolean }
  | { readonly kind: 'pullRequest'; readonly record: RunRecord; readonly message: string; readonly already: boolean; readonly url: string };

/**
 * What a human does with a finished local run's branch (issue 14): look at its diff, merge it into the
 * current branch, open a pull request from it, or discard it. Each action checks the record first (finished,
 * a local run, its branch and base ones git may be given), acts, then records what it did on the run record
 * (`landing`), after which the run offers no action any more. Asked again, an action that was done answers
 * what was done; an action that could not be done leaves everything as it was.
 */
export class RunLanding {
  private readonly now: () => Date;

  constructor(private readonly options: RunLandingOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async diff(runId: string): Promise<RunDiff> {
    const record = await this.record(runId);
    const range = await runDiffRange(this.options.workspaceRoot, landingTarget(record));
    return { record, range, files: await runDiffFiles(this.options.workspaceRoot, range) };
  }

  /** `git diff --stat` and the patch, as `ato diff` prints them. */
  async diffText(runId: string): Promise<string> {
    const record = await this.record(runId);
    return runDiffText(this.options.workspaceRoot, await runDiffRange(this.options.workspaceRoot, landingTarget(record)));
  }

  /** A file's text at one side of a diff (undefined: not there on that side). */
  fileAt(commit: string, path: string): Promise<string | undefined> {
    return fileAtCommit(this.options.workspaceRoot, commit, path);
  }

  async merge(runId: string): Promise<LandingResult> {
    const record = await this.record(runId);
    if (record.landing?.kind === 'merged') return { kind: 'merged', record, message: record.landing.detail, already: true };
    const target = await this.ownTarget(record);
    const title = await this.taskTitle(record);
    const outcome = await mergeRunBranch(this.options.workspaceRoot, target, `Merge ${target.branch}: ${title}\n\nATO run ${record.runId} (${record.agentId}).`);
    const detail = outcome.alreadyMerged ? `${target.branch} was in ${outcome.into} already (${outcome.commit.slice(0, 7)})` : `merged ${target.branch} into ${outcome.into} as ${outcome.commit.slice(0, 7)}`;
    const landed = await this.land(record, { kind: 'merged', at: this.now().toISOString(), detail });
    return { kind: 'merged', record: landed, message: detail, already: false };
  }

  async discard(runId: string): Promise<LandingResult> {
    const record = await this.record(runId);
    if (record.landing?.kind === 'discarded') return { kind: 'discarded', record, message: record.landing.detail, already: true };
    const target = await this.ownTarget(record);
    const outcome = await discardRunBranch(this.options.workspaceRoot, target);
    const parts = [
      ...(outcome.removedWorktree === undefined ? [] : [`removed the worktree ${basename(outcome.removedWorktree)}`]),
      outcome.deletedTip === undefined ? `${target.branch} was gone already` : `deleted ${target.branch} (it was at ${outcome.deletedTip}; git branch ${target.branch} ${outcome.deletedTip} brings it back while git keeps the commit)`,
    ];
    const detail = parts.join('; ');
    const landed = await this.land(record, { kind: 'discarded', at: this.now().toISOString(), detail });
    return { kind: 'discarded', record: landed, message: detail, already: false };
  }

  async pullRequest(runId: string): Promise<LandingResult> {
    const record = await this.record(runId);
    if (record.landing?.kind === 'pullRequest' && record.landing.pullRequest !== undefined) {
      return { kind: 'pullRequest', record, message: record.landing.detail, already: true, url: record.landing.pullRequest.url };
    }
    const target = await this.ownTarget(record);
    const forge = await this.options.forge?.();
    if (forge === undefined || 'unavailable' in forge) throw new LandingError('noForge', `No pull request for run ${record.runId}: ${forge?.unavailable ?? 'no GitHub remote is configured here.'}`);
    const text = runPullRequestText({ title: await this.taskTitle(record), taskId: record.taskId, runId: record.runId, agentId: record.agentId, summary: record.summary, branch: target.branch });
    const outcome = await openRunPullRequest(target, text, forge);
    const { number, url } = outcome.pullRequest;
    const detail = `${outcome.opened ? 'opened' : 'found the open'} pull request #${String(number)} from ${target.branch} (${url})`;
    const landed = await this.land(record, { kind: 'pullRequest', at: this.now().toISOString(), detail, pullRequest: { number, url } });
    return { kind: 'pullRequest', record: landed, message: detail, already: false, url };
  }

  /** The run's target, when the branch is still this run's: a later run of the task may have taken it over. */
  private async ownTarget(record: RunRecord): Promise<LandingTarget> {
    const target = landableTarget(record);
    const later = laterRunOnBranch(record, (await this.options.runs.list()).records);
    if (later !== undefined) throw new LandingError('notLandable', `${target.branch} now holds the work of a later run of ${record.taskId} (${later.runId}): land or discard that run instead.`);
    return target;
  }

  private async record(runId: string): Promise<RunRecord> {
    const read = await this.options.runs.read(runId);
    if (read.ok) return read.record;
    if (read.missing) throw new LandingError('notFound', `No run ${runId} in ${this.options.runs.directory}.`);
    throw new LandingError('invalidRecord', `The record of run ${runId} cannot be read: ${read.problem.message}`);
  }

  /** The record as it is now, with the landing added (read again: another window may have written it). */
  private async land(record: RunRecord, landing: RunLandingRecord): Promise<RunRecord> {
    const now = await this.options.runs.read(record.runId);
    const next: RunRecord = { ...(now.ok ? now.record : record), landing };
    await this.options.runs.write(next);
    return next;
  }

  /** The task's title from its file (in the workspace), else its id. */
  private async taskTitle(record: RunRecord): Promise<string> {
    const file = join(this.options.workspaceRoot, ...record.taskFile.split('/'));
    if (!isWithin(this.options.workspaceRoot, file)) return record.taskId;
    try {
      return parseTaskFile(await readFile(file, 'utf8'), basename(file)).task?.title ?? record.taskId;
    } catch {
      return record.taskId;
    }
  }
}
