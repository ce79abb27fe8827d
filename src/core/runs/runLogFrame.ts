import { redactedMarker } from '../logging/redactor';
import type { RunRecord } from './runRecord';

/**
 * The header and footer of a run's log (`.ato/runs/<runId>.log`, what Show Run Log opens): how the agent was
 * started, and how the run ended. Pure; the run store redacts again as it appends (known secret values and
 * token shapes), and the command line is cleaned here of values given to options named like secrets.
 */

export interface RunLogHeaderInput {
  readonly runId: string;
  readonly taskId: string;
  readonly agentId: string;
  /** The executable and its arguments, as started (the prompt goes on stdin, not here). */
  readonly argv: readonly string[];
  readonly branch: string | undefined;
  readonly workdir: string;
  readonly startedAt: Date;
}

const rule = '─'.repeat(60);
/** An argument longer than this is cut (repository notes appended to a system prompt, say). */
const maxArgumentChars = 200;
const secretOption = /^--?[a-z0-9-]*(?:token|secret|passw(?:or)?d|credential|api-?key|auth)[a-z0-9-]*$/i;

export function runLogHeader(input: RunLogHeaderInput): string {
  return [
    rule,
    `ATO run ${input.runId} · task ${input.taskId}`,
    `agent:     ${input.agentId}`,
    `command:   ${commandLineText(input.argv)}`,
    `branch:    ${input.branch ?? '(none)'}`,
    `worktree:  ${input.workdir}`,
    `started:   ${input.startedAt.toISOString()}`,
    rule,
    '',
  ].join('\n');
}

/** The footer of a run that reached a final state: exit code, duration, cost when known, and who stopped it. */
export function runLogFooter(record: RunRecord): string {
  const ended = record.endedAt === undefined ? undefined : Date.parse(record.endedAt);
  const duration = ended === undefined ? 'unknown' : durationText(ended - Date.parse(record.startedAt));
  const cost = record.usage.costUsd === undefined ? (record.usage.costNote === undefined ? 'unknown' : `unknown (${record.usage.costNote})`) : `$${record.usage.costUsd.toFixed(4)}`;
  const cancelled = record.state === 'cancelled' || record.failure?.class === 'cancelled';
  const outcome = cancelled ? 'cancelled by user' : record.state === 'failed' && record.failure !== undefined ? `failed (${record.failure.class}): ${record.failure.message}` : record.state;
  return [
    rule,
    `ATO run ${record.runId} ended: ${outcome}`,
    `exit code: ${record.exitCode === undefined ? '(none)' : String(record.exitCode)}`,
    `duration:  ${duration}`,
    `cost:      ${cost}`,
    ...(record.endedAt === undefined ? [] : [`ended:     ${record.endedAt}`]),
    rule,
    '',
  ].join('\n');
}

/**
 * The agent's own output in a run log: the header and footer ATO frames it with left out. What leaves the
 * machine (an escalation issue) quotes the agent, not the local command line, paths and worktree.
 */
export function agentOutputOfLog(text: string): string {
  const kept: string[] = [];
  let inFrame = false;
  for (const line of text.split('\n')) {
    if (line === rule) {
      inFrame = !inFrame;
      continue;
    }
    if (!inFrame) kept.push(line);
  }
  return kept.join('\n');
}

/**
 * The command line as one shell-like string: arguments quoted when needed, the value of an option named like
 * a secret (`--api-key X`, `--token=X`) replaced, very long arguments cut.
 */
export function commandLineText(argv: readonly string[]): string {
  const shown: string[] = [];
  let hideNext = false;
  for (const argument of argv) {
    if (hideNext) {
      shown.push(redactedMarker);
      hideNext = false;
      continue;
    }
    const equals = argument.indexOf('=');
    if (argument.startsWith('-') && equals > 0 && secretOption.test(argument.slice(0, equals))) {
      shown.push(`${argument.slice(0, equals)}=${redactedMarker}`);
      continue;
    }
    if (secretOption.test(argument)) hideNext = true;
    shown.push(quote(argument.length > maxArgumentChars ? `${argument.slice(0, maxArgumentChars)}… (${String(argument.length)} characters)` : argument));
  }
  return shown.join(' ');
}

function quote(argument: string): string {
  if (argument !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(argument)) return argument;
  return `'${argument.replace(/'/g, `'\\''`).replace(/\n/g, '\\n')}'`;
}

export function durationText(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'unknown';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${String(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)} min ${String(seconds % 60)} s`;
  return `${String(Math.floor(minutes / 60))} h ${String(minutes % 60)} min`;
}
