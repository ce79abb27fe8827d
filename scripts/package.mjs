// Packages the built extension into dist-vsix/ato.vsix with @vscode/vsce (run after a production build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
mkdirSync('dist-vsix', { recursive: true });
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', 'dist-vsix/ato.vsix'], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`packaged dist-vsix/ato.vsix (${(statSync('dist-vsix/ato.vsix').size / 1024).toFixed(1)} KiB)`);
