import { environmentSecretSource, redactingSecretSource } from '../core/secrets/secrets';
import { headlessTokenLookup } from '../core/forges/github/githubToken';
import { describeError } from '../core/logging/redactor';
import { findLandingRun } from '../core/runs/landing/findLandingRun';
import { LandingError } from '../core/runs/landing/landingError';
import { landingGitHub } from '../core/runs/landing/landingGitHub';
import { RunLanding, type LandingResult } from '../core/runs/landing/runLanding';
import { RunStore } from '../core/runs/runStore';
import { readEnvironmentSettings } from '../core/settings/environmentSettings';
import type { CliContext } from './cliContext';

declare const ATO_VERSION: string;

export type LandAction = 'merge' | 'pr' | 'discard';

/**
 * `ato diff <run>`: `git diff --stat` and the patch of a finished local run's branch, from the commit its
 * worktree started at. `<run>` is a run id, or a task id for its newest run with a branch. Exit 1 when the
 * run or its branch is not there.
 */
export async function diffCommand(context: CliContext, idOrTask: string | undefined): Promise<number> {
  const found = await locate(context, 'diff', idOrTask);
  if (found === undefined) return 2;
  if (found.runId === undefined) return 1;
  try {
    context.out(await found.landing.diffText(found.runId));
    return 0;
  } catch (error) {
    return failed(context, 'diff', error);
  }
}

/**
 * `ato land <run> --merge | --pr` and `ato discard <run>`: merge the run's branch into the current branch
 * (refused on a dirty tree or a conflict, which is aborted), push it and open a pull request (found again
 * when one is open), or remove its worktree and delete its branch. The record remembers it. Exit 0 when
 * done (now or before), 1 when refused.
 */
export async function landCommand(context: CliContext, action: LandAction | undefined, idOrTask: string | undefined): Promise<number> {
  const name = action === 'discard' ? 'discard' : 'land';
  if (action === undefined) {
    context.err('ato land: how? ato land <run> --merge (into the current branch) or --pr (push and open a pull request)\n');
    return 2;
  }
  const found = await locate(context, name, idOrTask);
  if (found === undefined) return 2;
  if (found.runId === undefined) return 1;
  try {
    const result = action === 'merge' ? await found.landing.merge(found.runId) : action === 'pr' ? await found.landing.pullRequest(found.runId) : await found.landing.discard(found.runId);
    report(context, result);
    return 0;
  } catch (error) {
    return failed(context, name, error);
  }
}

async function locate(context: CliContext, name: string, idOrTask: string | undefined): Promise<{ readonly landing: RunLanding; readonly runId: string | undefined } | undefined> {
  if (idOrTask === undefined) {
    context.err(`ato ${name}: which run? Give a run id (from .ato/runs) or a task id for its newest run.\n`);
    return undefined;
  }
  const { settings } = readEnvironmentSettings(context.env);
  const runs = new RunStore({ workspaceRoot: context.workspaceRoot, redactor: context.redactor });
  const secrets = redactingSecretSource(environmentSecretSource(context.env), context.redactor);
  const landing = new RunLanding({
    workspaceRoot: context.workspaceRoot,
    runs,
    forge: () => landingGitHub({
      workspaceRoot: context.workspaceRoot,
      settings,
      token: headlessTokenLookup({ apiUrl: settings['github.apiUrl'] }, () => secrets.get('github.token')),
      log: context.log,
      redactor: context.redactor,
      userAgent: `ato-cli/${ATO_VERSION}`,
    }),
  });
  const runId = await findLandingRun(runs, idOrTask);
  if (runId === undefined) context.err(`ato ${name}: no run or task "${idOrTask}" with a branch in ${runs.directory}\n`);
  return { landing, runId };
}

function report(context: CliContext, result: LandingResult): void {
  const url = result.kind === 'pullRequest' ? { url: result.url } : {};
  if (context.json) {
    context.out(`${JSON.stringify({ runId: result.record.runId, landing: result.kind, already: result.already, message: result.message, ...url }, null, 2)}\n`);
    return;
  }
  context.out(`${result.already ? 'Already done: ' : ''}${result.message}\n`);
}

function failed(context: CliContext, name: string, error: unknown): number {
  context.err(`ato ${name}: ${LandingError.is(error) ? error.message : describeError(error)}\n`);
  return 1;
}
