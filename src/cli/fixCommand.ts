import type { LoopController } from '../core/loop/engine/loopModel';
import { pullNumberOf } from '../core/views/loopCommandArgs';
import type { CliContext } from './cliContext';
import { openLoop, unavailable, withLock } from './loopCommands';

/** Agent ids as the registry writes them (the controller looks the agent up again). */
const agentIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * `ato fix <pr> [--agent <id>] [--json]` (issue 11): the maintenance track's fix request for a PR now, to its
 * authoring agent or to `--agent`, through the loop's guarded action (behind the workspace's lock and the remote
 * lease) — what "Fix now" and "Send to…" do in VS Code. Exit 0 when the request went out, 1 when it was skipped
 * or failed (the message says why), 2 on a usage error or no loop, 3 when another process holds the lock.
 */
export async function fixCommand(context: CliContext, pr: string | undefined, agent: string | undefined): Promise<number> {
  const pullNumber = pullNumberOf(pr?.replace(/^#/, ''));
  if (pullNumber === undefined) {
    context.err('ato fix: which pull request? ato fix <pr> [--agent <id>] (`ato status` lists red PRs)\n');
    return 2;
  }
  if (agent !== undefined && !agentIdPattern.test(agent)) {
    context.err('ato fix: --agent takes an agent id (`ato agents` lists them)\n');
    return 2;
  }
  const { loop, close } = await openLoop(context);
  if (loop.kind === 'unavailable') {
    await close();
    return unavailable(context, loop);
  }
  try {
    return await withLock(context, 'ato fix', () => fixRemote(context, loop.engine, pullNumber, agent));
  } finally {
    await loop.engine.close();
    await close();
  }
}

async function fixRemote(context: CliContext, engine: LoopController, pullNumber: number, agent: string | undefined): Promise<number> {
  const outcome = await engine.fixPullRequest(pullNumber, agent);
  const message = context.redactor.redact(outcome.message);
  if (context.json) context.out(`${JSON.stringify({ pullNumber, agent: agent ?? null, result: outcome.result, message }, null, 2)}\n`);
  else if (outcome.result === 'done') context.out(`PR #${String(pullNumber)}: ${message}\n`);
  else context.err(`ato fix: PR #${String(pullNumber)} ${outcome.result}: ${message}\n`);
  return outcome.result === 'done' ? 0 : 1;
}
