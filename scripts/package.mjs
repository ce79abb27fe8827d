// Packages the built extension into dist-vsix/ato.vsix with @vscode/vsce (run after a production build).
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

// With --build, makes the production bundles first (what `npm run package` does).
if (process.argv.includes('--build')) execFileSync(process.execPath, ['esbuild.mjs', '--production'], { stdio: 'inherit' });
const vsce = createRequire(import.meta.url).resolve('@vscode/vsce/vsce');
mkdirSync('dist-vsix', { recursive: true });
// The README's screenshots are packed (media/screenshots) and linked relatively: the details page resolves them
// in the installed extension. Rewriting them needs a GitHub/GitLab repository URL, which package.json lacks.
execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', 'dist-vsix/ato.vsix'], { stdio: ['ignore', 'ignore', 'inherit'] });
console.log(`packaged dist-vsix/ato.vsix (${(statSync('dist-vsix/ato.vsix').size / 1024).toFixed(1)} KiB)`);
