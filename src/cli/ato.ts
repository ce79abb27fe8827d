#!/usr/bin/env node
// The `ato` binary: the same core as the extension, headless.
import { handleBrokenPipes } from './brokenPipe';
import { main } from './main';

handleBrokenPipes(process, code => process.exit(code));
void main(process.argv.slice(2), process.env).then(code => {
  process.exitCode = code;
});
