import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const repoRoot = join(__dirname, '..', '..', '..');

/**
 * Lints source text as if it were a file at `relativePath`, with the repository's eslint.config.mjs. The
 * probe files do not exist, so no tsconfig includes them: for them alone, type-aware linting is switched
 * off (typescript-eslint's own `disableTypeChecked`). Every other rule, including the per-folder
 * `no-restricted-imports` blocks under test, comes from eslint.config.mjs unchanged.
 */
const probeName = `__lintProbe_${randomBytes(4).toString('hex')}`;
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: [{ files: [`**/${probeName}*.ts`], ...(tseslint.configs.disableTypeChecked as Linter.Config) }],
});

async function restrictedImportErrors(folder: string, code: string): Promise<string[]> {
  const filePath = join(repoRoot, folder, `${probeName}.ts`);
  const [result] = await eslint.lintText(code, { filePath });
  assert.ok(result, 'eslint returned a result');
  const fatal = result.messages.filter(m => m.fatal === true);
  assert.deepEqual(fatal, [], 'the probe parses');
  return result.messages.filter(m => m.ruleId === 'no-restricted-imports' && m.severity === 2).map(m => m.message);
}

const vscodeImport = readFileSync(join(repoRoot, 'test', 'fixtures', 'lint', 'coreImportsVscode.ts'), 'utf8');
const nodeImport = "import { readFile } from 'node:fs';\n\nexport const read = readFile;\n";
const classicZod = "import * as z from 'zod';\n\nexport const s = z.string();\n";
const miniZod = "import * as z from 'zod/mini';\n\nexport const s = z.string();\n";
const importFrom = (specifier: string): string => `import { x } from '${specifier}';\n\nexport const y = x;\n`;

describe('layering rules (eslint.config.mjs)', function () {
  this.timeout(30_000);

  it('does not lint the fixtures folder itself', async () => {
    assert.ok(await eslint.isPathIgnored(join(repoRoot, 'test', 'fixtures', 'lint', 'coreImportsVscode.ts')));
  });

  describe('the vscode API', () => {
    for (const folder of ['src/core', 'src/core/planning', 'src/shared', 'webview-ui/src', 'src/cli']) {
      it(`is banned in ${folder}`, async () => {
        const errors = await restrictedImportErrors(folder, vscodeImport);
        assert.equal(errors.length, 1, errors.join('\n'));
        assert.match(errors[0] ?? '', /'vscode' import is restricted/);
      });
    }

    for (const folder of ['src/vscode', 'src/vscode/commands', 'src']) {
      it(`is allowed in ${folder}`, async () => {
        assert.deepEqual(await restrictedImportErrors(folder, vscodeImport), []);
      });
    }
  });

  describe('node built-ins', () => {
    for (const folder of ['src/shared', 'webview-ui/src']) {
      it(`are banned in ${folder}`, async () => {
        const errors = await restrictedImportErrors(folder, nodeImport);
        assert.equal(errors.length, 1, errors.join('\n'));
        assert.match(errors[0] ?? '', /node:fs/);
      });
    }

    for (const folder of ['src/core', 'src/cli', 'src/vscode']) {
      it(`are allowed in ${folder}`, async () => {
        assert.deepEqual(await restrictedImportErrors(folder, nodeImport), []);
      });
    }
  });

  describe('rings point inward', () => {
    const cases: readonly [folder: string, specifier: string, banned: boolean][] = [
      ['webview-ui/src', '../../src/core/state/store', true],
      ['webview-ui/src', '../../src/vscode/statusBar', true],
      ['webview-ui/src', '../../src/cli/main', true],
      ['webview-ui/src', '../../src/shared/protocol', false],
      ['webview-ui/src', './panelModel', false],
      ['src/shared', '../core/state/store', true],
      ['src/shared', '../vscode/statusBar', true],
      ['src/shared', './zod', false],
      ['src/core', '../vscode/statusBar', true],
      ['src/core/views', '../../cli/main', true],
      ['src/core/views', '../../shared/protocol', false],
      ['src/core/views', '../state/store', false],
      ['src/cli', '../vscode/statusBar', true],
      ['src/cli', '../core/state/store', false],
      ['src/vscode', '../core/state/store', false],
    ];
    for (const [folder, specifier, banned] of cases) {
      it(`${banned ? 'bans' : 'allows'} ${specifier} from ${folder}`, async () => {
        const errors = await restrictedImportErrors(folder, importFrom(specifier));
        assert.equal(errors.length, banned ? 1 : 0, errors.join('\n'));
      });
    }
  });

  describe('zod', () => {
    for (const folder of ['src/core', 'src/shared', 'webview-ui/src', 'src/cli', 'src/vscode']) {
      it(`bans the classic build and allows zod/mini in ${folder}`, async () => {
        const errors = await restrictedImportErrors(folder, classicZod);
        assert.equal(errors.length, 1, errors.join('\n'));
        assert.match(errors[0] ?? '', /zod\/mini/);
        assert.deepEqual(await restrictedImportErrors(folder, miniZod), []);
      });
    }
  });
});
