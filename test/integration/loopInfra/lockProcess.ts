// A loop process for the lock tests: `node --import tsx lockProcess.ts`, then commands on stdin, one a line:
//   acquire <workspace> <startAtMs>   wait until the wall clock reaches startAtMs (so racers start together),
//                                     try to take the loop lock, print {"acquired", "token", "holder"} as JSON
//   release                           release every lock this process holds, print {"released": n}
// It prints "ready" first. Locks it holds stay held until released or until the process dies.
import { createInterface } from 'node:readline';
import { acquireLoopLock, type LoopLock } from '../../../src/core/loop/engine/localLock';

const held: LoopLock[] = [];

async function handle(line: string): Promise<unknown> {
  const [command, workspace = '', startAt = '0'] = line.trim().split(' ');
  if (command === 'acquire') {
    const wait = Number(startAt) - Date.now();
    if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait));
    const attempt = await acquireLoopLock(workspace, { owner: `pid ${process.pid}` });
    if (attempt.acquired) held.push(attempt.lock);
    return attempt.acquired ? { acquired: true, token: attempt.lock.holder.token } : { acquired: false, holder: attempt.holder?.token ?? null };
  }
  if (command === 'release') {
    let released = 0;
    for (const lock of held.splice(0)) if (await lock.release()) released++;
    return { released };
  }
  return { error: `unknown command ${line}` };
}

const lines = createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on('line', line => {
  queue = queue.then(async () => {
    process.stdout.write(`${JSON.stringify(await handle(line))}\n`);
  }).catch((error: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: String(error) })}\n`);
  });
});
lines.on('close', () => { void queue.then(() => process.exit(0)); });
process.stdout.write('ready\n');
