// Lint for every ring. The `no-restricted-imports` blocks below are the architecture: dependencies
// point inward (src/vscode → src/core → src/shared; webview-ui → src/shared), and `vscode` may be
// imported only by the adapter ring and the composition root.
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const classicZodBanned = { name: 'zod', message: "Import `* as z from 'zod/mini'` (and src/shared/zod.ts for messages): the classic build defeats tree-shaking." };

const vscodeBanned = {
  name: 'vscode',
  message: 'The `vscode` API belongs to src/vscode (the adapter ring). Define a port in src/core and implement it there.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'dist-vsix/**', 'node_modules/**', '.cache/**', '.vscode-test/**',
      'test-results/**', 'test/fixtures/**'],
  },
  eslint.configs.recommended,
  tseslint.configs.strictTypeChecked,
  tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.core.json', './tsconfig.cli.json', './tsconfig.webview.json',
          './tsconfig.test.json', './tsconfig.exthost.json', './tsconfig.bench.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      'no-console': 'error',
      'eqeqeq': 'error',
      // zod's classic build defeats tree-shaking (400 KB); see src/shared/zod.ts.
      'no-restricted-imports': ['error', { paths: [classicZodBanned] }],
      'curly': ['error', 'multi-line'],
    },
  },
  {
    // Build scripts, the e2e harness and configs are plain JavaScript run by node.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off', '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
  {
    // Playwright runs these callbacks inside the page.
    files: ['test/e2e/**/*.mjs', 'test/webview/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBanned, classicZodBanned],
        patterns: [{ regex: '(^|/)(vscode|cli)/', message: 'src/core must not depend on an outer ring (src/vscode, src/cli).' }],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBanned, classicZodBanned],
        patterns: [
          { regex: '^node:', message: 'src/shared is loaded by the webview too: no node built-ins.' },
          { regex: '(^|/)(core|vscode|cli)/', message: 'src/shared depends on nothing but itself and zod.' },
        ],
      }],
    },
  },
  {
    files: ['webview-ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [vscodeBanned, classicZodBanned],
        patterns: [
          { regex: '^node:', message: 'The webview runs in a browser sandbox.' },
          { regex: '/src/(core|vscode|cli)/', message: 'webview-ui may import only src/shared.' },
        ],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBanned, classicZodBanned], patterns: [{ regex: '(^|/)vscode/', message: 'The CLI uses src/core, never the VS Code adapters.' }] }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // mocha's `this` and chai-less asserts
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
    },
  },
);
