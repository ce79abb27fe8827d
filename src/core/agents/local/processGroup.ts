import { readdir, readFile } from 'node:fs/promises';

/** Sends `signal` to every process of the group `pgid`; a group that is already gone is fine. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

/**
 * The processes of group `pgid` that still run, zombies left out. On Linux this reads /proc, because an
 * orphan that exited stays a zombie (and keeps `kill(-pgid, 0)` succeeding) wherever PID 1 does not reap,
 * as in some containers and VMs. Elsewhere it falls back to `kill(-pgid, 0)`: `[pgid]` or `[]`.
 */
export async function liveGroupMembers(pgid: number): Promise<number[]> {
  if (process.platform === 'linux') {
    let entries: string[] | undefined;
    try {
      entries = await readdir('/proc');
    } catch {
      entries = undefined;
    }
    if (entries !== undefined) {
      const members: number[] = [];
      await Promise.all(entries.filter(name => /^\d+$/.test(name)).map(async name => {
        const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => undefined);
        if (stat === undefined) return;
        // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') members.push(Number(name));
      }));
      return members.sort((a, b) => a - b);
    }
  }
  try {
    process.kill(-pgid, 0);
    return [pgid];
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? [pgid] : [];
  }
}

/** True while a process of the group `pgid` still runs (zombies do not count). */
export async function isGroupAlive(pgid: number): Promise<boolean> {
  return (await liveGroupMembers(pgid)).length > 0;
}

/** The marker a local agent's process carries in its environment: `ATO_RUN_ID=<runId>`. */
export const runIdVariable = 'ATO_RUN_ID';

/**
 * Stops what is left of a run that an earlier ATO process started (ATO was killed; the agent, in its own
 * process group, was not). The group `pgid` is signalled only if one of its live processes carries
 * `ATO_RUN_ID=<runId>` in its environment, so a reused pid is never hit. Linux only (it reads /proc);
 * elsewhere it does nothing. Resolves true when it found and stopped the group.
 */
export async function stopOrphanedRun(pgid: number, runId: string, graceMs: number): Promise<boolean> {
  if (process.platform !== 'linux' || !Number.isInteger(pgid) || pgid <= 1) return false;
  const marker = `${runIdVariable}=${runId}`;
  const members = await liveGroupMembers(pgid);
  const environments = await Promise.all(members.map(pid => readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '')));
  if (!environments.some(environ => environ.split('\0').includes(marker))) return false;
  signalProcessGroup(pgid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while ((await isGroupAlive(pgid)) && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 25));
  if (await isGroupAlive(pgid)) signalProcessGroup(pgid, 'SIGKILL');
  return true;
}
