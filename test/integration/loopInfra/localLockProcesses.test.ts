import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { acquireLoopLock, parseHolder } from '../../../src/core/loop/engine/localLock';
import { useTempDir } from '../../support/tempDir';

type Reply = { acquired: true; token: string } | { acquired: false; holder: string | null } | { released: number };

/** One `lockProcess.ts` child, driven line by line. */
class LockProcess {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];
  readonly ready: Promise<void>;

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'lockProcess.ts')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const lines = createInterface({ input: this.child.stdout });
    this.ready = new Promise((resolve, reject) => {
      this.waiting.push(line => { if (line === 'ready') resolve(); else reject(new Error(`${line} ${stderr}`)); });
      this.child.on('exit', code => { reject(new Error(`lock process exited (${code}): ${stderr}`)); });
    });
    lines.on('line', line => this.waiting.shift()?.(line));
  }

  send(command: string): Promise<Reply> {
    return new Promise(resolve => {
      this.waiting.push(line => { resolve(JSON.parse(line) as Reply); });
      this.child.stdin.write(`${command}\n`);
    });
  }

  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise(resolve => this.child.once('exit', resolve));
    this.child.kill('SIGKILL');
    await exited;
  }
}

/** The pid of a process that has exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise(resolve => child.once('exit', resolve));
  assert.ok(child.pid !== undefined);
  return child.pid;
}

describe('local loop lock across real processes', function () {
  this.timeout(60_000);
  const temp = useTempDir('ato-lock-processes-');
  const processes: LockProcess[] = [];

  afterEach(async () => {
    await Promise.all(processes.splice(0).map(child => child.kill()));
  });

  async function start(count: number): Promise<LockProcess[]> {
    const started = Array.from({ length: count }, () => new LockProcess());
    processes.push(...started);
    await Promise.all(started.map(child => child.ready));
    return started;
  }

  const lockToken = (workspace: string): string | undefined => parseHolder(readFileSync(join(workspace, '.ato', 'loop.lock'), 'utf8'))?.token;

  /** Both processes try at the same wall-clock instant; exactly one may win. */
  async function race(racers: LockProcess[], workspace: string): Promise<string> {
    const startAt = Date.now() + 40;
    const replies = await Promise.all(racers.map(racer => racer.send(`acquire ${workspace} ${startAt}`)));
    const winners = replies.filter((reply): reply is { acquired: true; token: string } => 'acquired' in reply && reply.acquired);
    assert.equal(winners.length, 1, JSON.stringify(replies));
    const token = winners[0]!.token;
    assert.equal(lockToken(workspace), token, 'the file holds the winner\'s lock');
    for (const reply of replies) if ('acquired' in reply && !reply.acquired) assert.equal(reply.holder, token, 'the loser saw the winner');
    return token;
  }

  it('two processes racing for a free lock, 20 trials: exactly one wins each time', async () => {
    const racers = await start(2);
    for (let trial = 0; trial < 20; trial++) {
      const workspace = join(temp(), `free-${trial}`);
      mkdirSync(workspace);
      await race(racers, workspace);
      await Promise.all(racers.map(racer => racer.send('release')));
    }
  });

  it('two processes racing to take over a dead process\'s lock, 20 trials: exactly one wins each time', async () => {
    const racers = await start(2);
    const pid = await deadPid();
    for (let trial = 0; trial < 20; trial++) {
      const workspace = join(temp(), `stale-${trial}`);
      mkdirSync(join(workspace, '.ato'), { recursive: true });
      writeFileSync(join(workspace, '.ato', 'loop.lock'), JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString(), owner: 'crashed', token: `dead-${trial}` }));
      const token = await race(racers, workspace);
      assert.notEqual(token, `dead-${trial}`);
      await Promise.all(racers.map(racer => racer.send('release')));
    }
  });

  it('a killed holder\'s lock is taken over by the next loop; a live holder\'s is not', async () => {
    const [holder] = await start(1);
    const workspace = join(temp(), 'killed');
    mkdirSync(workspace);
    const first = await holder!.send(`acquire ${workspace} 0`);
    assert.ok('acquired' in first && first.acquired);
    const refused = await acquireLoopLock(workspace, { owner: 'test' });
    assert.equal(refused.acquired, false, 'the holder is alive');
    await holder!.kill();
    const taken = await acquireLoopLock(workspace, { owner: 'test' });
    assert.ok(taken.acquired);
    assert.notEqual(taken.lock.holder.token, first.token);
    assert.equal(lockToken(workspace), taken.lock.holder.token);
    await taken.lock.release();
  });
});
