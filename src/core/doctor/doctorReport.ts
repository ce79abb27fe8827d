import { describeRunRecordProblem } from '../runs/runRecordProblemText';
import type { RunRecordProblem } from '../runs/runStore';
import type { AtoState } from '../state/atoState';
import { secretDescriptions, secretIds, type SecretId } from '../secrets/secrets';
import type { ConnectionResult } from './connectionCheck';
import type { ToolCheck } from './localChecks';

export interface DoctorFacts {
  readonly atoVersion: string;
  /** e.g. `VS Code 1.139.1` or `ato CLI`. */
  readonly host: string;
  readonly nodeVersion: string;
  readonly platform: string;
  readonly state: AtoState;
  readonly keys: Readonly<Record<SecretId, boolean>>;
  readonly connections: readonly ConnectionResult[];
  /** git and the agents; empty when not checked (Restricted Mode). */
  readonly tools: readonly ToolCheck[];
  /** Rejected `ato.agents.custom` entries. */
  readonly agentProblems: readonly string[];
  /** The run records in `.ato/runs/`: how many could be read, and each that could not. Absent when not checked. */
  readonly runRecords?: { readonly readable: number; readonly problems: readonly RunRecordProblem[] };
}

const mark = { ok: '✓', warn: '!', fail: '✗', none: '–' } as const;

/** A readable Markdown report. Contains no secret; still passed through the redactor by the caller. */
export function renderDoctorReport(facts: DoctorFacts): string {
  const { state } = facts;
  const lines: string[] = ['# ATO Doctor', ''];
  lines.push('## Environment', '', `- ATO ${facts.atoVersion} on ${facts.host}`, `- Node ${facts.nodeVersion}, ${facts.platform}`, '');
  lines.push('## Workspace', '');
  lines.push(`- ${state.workspaceName === undefined ? `${mark.fail} No folder is open` : `${mark.ok} Folder: ${state.workspaceName}`}`);
  lines.push(`- ${state.trusted ? `${mark.ok} Trusted` : `${mark.warn} Restricted Mode: ATO shows state but takes no action`}`);
  lines.push(`- ${describePlanning(state)}`, '');
  lines.push('## Settings', '');
  if (state.settingsProblems.length === 0) lines.push(`- ${mark.ok} All settings valid`);
  for (const problem of state.settingsProblems) lines.push(`- ${mark.fail} ${problem.message}`);
  lines.push('', '## Keys', '');
  const github = state.auth.github;
  lines.push(`- ${github.kind === 'session' ? `${mark.ok} GitHub: signed in as ${github.account}` : github.kind === 'token' ? `${mark.ok} GitHub: token set` : `${mark.none} GitHub: not signed in (local mode)`}`);
  for (const id of secretIds.filter(id => id !== 'github.token')) {
    lines.push(`- ${facts.keys[id] ? `${mark.ok} ${secretDescriptions[id].label}: set` : `${mark.none} ${secretDescriptions[id].label}: not set`}`);
  }
  lines.push('', '## Tools and agents', '');
  if (facts.tools.length === 0) lines.push(`- ${mark.none} Not checked: ATO runs no program in Restricted Mode`);
  for (const tool of facts.tools) lines.push(`- ${tool.ok ? mark.ok : mark.fail} ${tool.name}: ${tool.detail}`);
  for (const problem of facts.agentProblems) lines.push(`- ${mark.fail} ${problem}`);
  lines.push('', '## Records', '');
  const records = facts.runRecords;
  if (records === undefined) lines.push(`- ${mark.none} Not checked: ATO reads no record in Restricted Mode`);
  else if (records.problems.length === 0) lines.push(`- ${mark.ok} Run records: ${records.readable} readable`);
  else {
    lines.push(`- ${mark.fail} Run records: ${records.readable} readable, ${records.problems.length} not`);
    for (const problem of records.problems) {
      const { title, detail } = describeRunRecordProblem(problem);
      lines.push(`  - ${mark.fail} ${title}: ${detail}`);
    }
  }
  lines.push('', '## Connections', '');
  if (facts.connections.length === 0) lines.push(`- ${mark.none} Not checked: ATO makes no request in Restricted Mode`);
  for (const result of facts.connections) {
    const symbol = result.outcome === 'ok' ? mark.ok : result.outcome === 'failed' ? mark.fail : result.outcome === 'refused' ? mark.warn : mark.none;
    lines.push(`- ${symbol} ${result.service}${result.url === '' ? '' : ` (${result.url})`}: ${result.outcome === 'refused' ? `no request — ${result.detail}` : result.detail}`);
  }
  lines.push('');
  return lines.join('\n');
}

function describePlanning(state: AtoState): string {
  const planning = state.planning;
  switch (planning.kind) {
    case 'noWorkspace':
      return `${mark.none} Planning folder: no workspace`;
    case 'unknown':
      return `${mark.none} Planning folder: not inspected yet`;
    case 'missing':
      return `${mark.warn} Planning folder missing at ${planning.path} — run "ATO: Initialize Planning Folder"`;
    case 'partial':
      return `${mark.warn} Planning folder at ${planning.path} lacks ${planning.missing.join(', ')} — "ATO: Initialize Planning Folder" fills the gaps`;
    case 'ready':
      // Files, not tasks: Doctor does not parse them (the panel, tree and status bar count valid tasks, invalid files apart).
      return `${mark.ok} Planning folder at ${planning.path}: task files: ${planning.queue.pending} in pending/, ${planning.queue.processed} in processed/, ${planning.queue.complete} in complete/`;
    case 'error':
      return `${mark.fail} Planning folder at ${planning.path} could not be read: ${planning.message}`;
  }
}
