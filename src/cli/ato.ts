#!/usr/bin/env node
// The `ato` binary: the same core as the extension, headless.
import { main } from './main';

void main(process.argv.slice(2), process.env).then(code => {
  process.exitCode = code;
});
