// `npm run bench`: every benchmark, one table, and test-results/bench.json for comparisons over time.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { activationBench } from './activation.bench';
import { ciRequestsBench } from './ciRequests.bench';
import { cyclesBench } from './cycles.bench';
import { dispatchBench } from './dispatch.bench';
import { firstEventBench } from './firstEvent.bench';
import { fleetBurstBench, fleetSelectionBench } from './fleet.bench';
import { foundationBench } from './foundation.bench';
import { loopRequestsBench } from './loopRequests.bench';
import { maintenanceBench } from './maintenance.bench';
import { panelBench } from './panel.bench';
import { parserBench } from './parser.bench';
import { queueBench } from './queue.bench';
import { statusCliBench } from './statusCli.bench';
import type { Measurement } from './measure';

const suites: Record<string, () => Promise<Measurement[]>> = { foundation: foundationBench, parser: parserBench, queue: queueBench, dispatch: dispatchBench, panel: panelBench, activation: activationBench, loopRequests: loopRequestsBench, cycles: cyclesBench, firstEvent: firstEventBench, fleetSelection: fleetSelectionBench, fleetBurst: fleetBurstBench, ciRequests: ciRequestsBench, statusCli: statusCliBench, maintenance: maintenanceBench };

async function main(): Promise<void> {
  const all: Record<string, Measurement[]> = {};
  process.stdout.write(`ATO benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
  // `npm run bench -- loopRequests cycles` runs only those suites (bench.json then holds only them).
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter(name => !(name in suites));
  if (unknown.length > 0) throw new Error(`Unknown bench suite(s): ${unknown.join(', ')}. Suites: ${Object.keys(suites).join(', ')}.`);
  for (const [name, suite] of Object.entries(suites).filter(([name]) => wanted.length === 0 || wanted.includes(name))) {
    const results = await suite();
    all[name] = results;
    process.stdout.write(`\n${name}\n`);
    for (const r of results) {
      const value = r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(2);
      process.stdout.write(`  ${r.name.padEnd(62)} ${value.padStart(12)} ${r.unit}${r.goal === undefined ? '' : `  (goal ${r.goal})`}\n`);
    }
  }
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/bench.json', JSON.stringify({ node: process.version, results: all }, null, 2));
}

void main();
