import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IntentLog } from '../../../src/core/loop/engine/intentLog';
import { parseIntent } from '../../../src/core/loop/engine/intentRecord';
import { seededRandom } from '../../support/seededRandom';
import { useTempDir } from '../../support/tempDir';

/** Starts the writer, waits until it has written, lets it run `ms` more, and kills it (SIGKILL: no cleanup). */
async function killWriterAfter(workspace: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'intentWriter.ts'), workspace], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exited = new Promise<NodeJS.Signals | null>(resolve => child.once('exit', (_code, signal) => { resolve(signal); }));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => { resolve(); });
    void exited.then(() => { reject(new Error(`the writer exited early: ${stderr}`)); });
  });
  await new Promise(resolve => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL', stderr);
}

describe('intent log crash safety (a writer killed at random points)', function () {
  this.timeout(120_000);
  const temp = useTempDir('ato-intent-crash-');

  it('leaves every record valid or absent, and a restarted log reads them all and carries on', async () => {
    const random = seededRandom(7);
    const workspace = temp();
    let records = 0;
    for (let kill = 0; kill < 6; kill++) {
      await killWriterAfter(workspace, 20 + Math.floor(random() * 200));
      const folder = join(workspace, '.ato', 'intents');
      const names = readdirSync(folder);
      for (const name of names) {
        if (name.endsWith('.json')) {
          const parsed = parseIntent(readFileSync(join(folder, name), 'utf8'));
          assert.ok('intent' in parsed, `${name} after kill ${kill}: ${'message' in parsed ? parsed.message : ''}`);
        } else {
          assert.match(name, /^\..+\.json\.[0-9a-f]+\.tmp$/, 'anything else is a temporary file of an interrupted write');
        }
      }
      const log = new IntentLog({ workspaceRoot: workspace });
      const scan = await log.scan();
      assert.deepEqual(scan.problems, [], `after kill ${kill}`);
      assert.ok(scan.all.length > records, 'the writer got further each time');
      records = scan.all.length;
      assert.ok(scan.open.length <= 1, 'at most one open intent: the one the kill interrupted');
      // Recovery: the open intent is found again by its key, and can be finished.
      for (const open of scan.open) {
        assert.equal((await log.begin(open.kind, open.key, null)).id, open.id);
        await log.finish(open);
      }
    }
  });
});
