#!/usr/bin/env node
// The `ato` binary: the same core as the extension, headless.
import { handleBrokenPipes } from './brokenPipe';
import { main } from './main';

handleBrokenPipes(process, code => process.exit(code));
// The `ato` launcher runs this file with VS Code's Electron as node (ELECTRON_RUN_AS_NODE=1): the agents, git
// and editors the CLI starts must not inherit that, or an Electron app they start would run as node.
delete process.env['ELECTRON_RUN_AS_NODE'];
void main(process.argv.slice(2), process.env).then(code => {
  process.exitCode = code;
});
