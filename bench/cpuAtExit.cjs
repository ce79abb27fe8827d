// Preloaded into each `ato` process a bench starts (node -r): at exit, prints the process's own CPU time
// (user + system, ms) as the last stderr line `ato-bench-cpu <ms>`, which the bench reads and removes.
'use strict';
process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write(`\nato-bench-cpu ${((user + system) / 1000).toFixed(1)}\n`);
});
