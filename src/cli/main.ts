import { resolve, join, basename } from 'node:path';
import { parseArgs } from 'node:util';
import { hostAgents } from '../core/agents/fleet/hostAgents';
import { projectMcpServersAllowed } from '../core/agents/claudeCode/projectMcpServers';
import { checkConnections, githubProbeTarget } from '../core/doctor/connectionCheck';
import { headlessTokenLookup } from '../core/forges/github/githubToken';
import { checkLocalTools } from '../core/doctor/localChecks';
import { renderDoctorReport } from '../core/doctor/doctorReport';
import { createLogger, streamLogSink } from '../core/logging/logger';
import type { CliContext } from './cliContext';
import { cliStreams } from './terminalText';
import { adopt } from './adoptCommand';
import { dispatchCommand, resumeWithBudget } from './dispatchCommand';
import { listTasks, openQueue } from './taskCommands';
import { loopStatus, run, tick } from './loopCommands';
import { approvePlan } from './approveCommand';
import { cancelCommand } from './cancelCommand';
import { requeue } from './requeueCommand';
import { fixCommand } from './fixCommand';
import { initCiCommand } from './initCiCommand';
import { newTaskCommand } from './newTaskCommand';
import { agents } from './agentsCommand';
import { diffCommand, landCommand } from './landCommands';
import { eventsCommand } from './eventsCommand';
import { describeError, Redactor } from '../core/logging/redactor';
import { initializePlanningFolder, inspectPlanningFolder } from '../core/planning/planningFolder';
import { environmentSecretSource, learnEnvironmentSecrets, redactingSecretSource, secretIds, type SecretId } from '../core/secrets/secrets';
import { RunStore } from '../core/runs/runStore';
import { cliEnvironmentVariables, environmentHelp, readEnvironmentSettings } from '../core/settings/environmentSettings';
import { initialAtoState, type AtoState } from '../core/state/atoState';
import type { StatusDocument, StatusLoop } from '../core/state/statusDocument';
import { renderStatus } from './statusText';

declare const ATO_VERSION: string;

const usage = `ato — AI Task Orchestrator (headless)

Usage: ato <command> [options]

Commands:
  status [--json]     the planning folder, keys and settings; with a GitHub remote and token, the
                      loop's stage, reason, focus, next step, red PRs, needs-you and rate-limit budget
  tick [--dry-run]    one tick of the planning loop (--dry-run: what it would do, and why; writes nothing)
  adopt [--dry-run]   label and mark as ATO's the open issues made by hand for queued tasks and the gap
                      analysis (same title), so none gets a second issue (--dry-run: list them)
  run [--max-ticks n] the loop on its timer until Ctrl-C (or n ticks); for CI
  doctor [--json]     check the set-up and each configured service's connection
  init                create the planning folder (keeps existing files)
  init-ci [--force]   write .github/workflows/ato.yml (the loop on GitHub Actions: a tick on each event
                      that changes what it would do, hourly as a safety net) and the CLI copy it runs in
                      .github/ato/; a file that differs is replaced only with --force (it says what differs)
  new <title> [--type t] [--priority p] [--agent a] [--id id] [--prompt text]
                      create pending/<id>.task.md and print its path (never overwrites)
  tasks [--json]      every task file, its folder and validity (exit 1 if any is invalid)
  dispatch <id>       run one task with its agent, to the end (exit 0 on success)
  resume <id> --budget <usd>
                      raise the budget_usd of a task a run stopped at its budget, and run it again
  agents [--json]     each agent: health, in flight and runs today against its caps, spend against the
                      vendor's budget, the vendor's window, headroom, last error, success rates
  agents --test <id>  that agent's Doctor check (git and the agent's health)
  dispatch <id> --dry-run [--json]
                      where the task would go and why: every agent, eligible or not, its score, the
                      factors and each reason (schemas/dispatch-preview.schema.json); moves nothing
  dispatch <id> <id>… fan-out: start several pending tasks at once, as limits allow; a task waits for its
                      depends_on and while a running task's targets overlap its own, and each line says
                      why (exit 0 when every run succeeded)
  requeue <id>        put a failed, cancelled or interrupted task back in pending/ to run it again
                      (its run records keep their history; refused while a run of it is in progress)
  fix <pr> [--agent <id>] [--json]
                      the maintenance track's fix request for a red PR now: to the agent that wrote it,
                      or to --agent (exit 0 when it went out, 1 when skipped or failed)
  approve <id>        approve the plan the task's run waits on (a Jules session with plan approval)
  events [--task <id>] [--follow] [--json]
                      the event log, oldest first: time, kind, run, message (--json: the events as NDJSON);
                      --task: that task's events and its runs'; --follow: then new ones until Ctrl-C
  cancel <run-id> [--json]
                      cancel a run in progress, whichever process runs it: its record ends cancelled, a
                      local agent's process group is killed, a Jules session archived (again: no-op)
  diff <run>          git diff --stat and the patch of a finished local run's branch (a run id, or a
                      task id for its newest run), from the commit its worktree started at
  land <run> --merge  merge the run's branch into the current branch (refused on uncommitted changes;
                      a conflicting merge is aborted)
  land <run> --pr     push the run's branch and open a pull request (GitHub remote and token; a second
                      call finds the open one)
  discard <run>       remove the run's worktree and delete its branch
  help                this text

Options:
  --workspace <dir>   the workspace folder (default: the current directory)
  --version           print the version

Exit codes: 0 ok, 1 a check or an action failed, 2 usage or no loop here, 3 another loop holds the lock.

${environmentHelp()}`;


/** Runs one CLI command and returns the process exit code. Never throws. */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const redactor = new Redactor();
  const { out, err } = cliStreams(redactor);
  const log = createLogger(streamLogSink({ write: err }, env[cliEnvironmentVariables.logLevel.name] === 'debug' ? 'debug' : 'warn'), redactor);
  learnEnvironmentSecrets(env, redactor);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { json: { type: 'boolean' }, workspace: { type: 'string' }, version: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean' }, 'max-ticks': { type: 'string' }, test: { type: 'string' }, budget: { type: 'string' }, force: { type: 'boolean' }, type: { type: 'string' }, priority: { type: 'string' }, agent: { type: 'string' }, id: { type: 'string' }, prompt: { type: 'string' }, merge: { type: 'boolean' }, pr: { type: 'boolean' }, task: { type: 'string' }, follow: { type: 'boolean' } } });
  } catch (error) {
    err(`ato: ${describeError(error)}\n\n${usage}`);
    return 2;
  }
  if (parsed.values.version === true) {
    out(`${ATO_VERSION}\n`);
    return 0;
  }
  const command = parsed.values.help === true ? 'help' : parsed.positionals[0] ?? 'help';
  const context: CliContext = { workspaceRoot: resolve(parsed.values.workspace ?? process.cwd()), json: parsed.values.json === true, log, redactor, out, err, env };
  try {
    switch (command) {
      case 'status':
        return await status(context, env);
      case 'doctor':
        return await doctor(context, env);
      case 'init':
        return await init(context, env);
      case 'init-ci':
        return await initCiCommand(context, parsed.values.force === true);
      case 'new': {
        const title = parsed.positionals.slice(1).join(' ');
        if (title.trim() === '') {
          err('ato new: what is the task? ato new <title> [--type t] [--priority p] [--agent a]\n');
          return 2;
        }
        const { type, priority, agent, id, prompt } = parsed.values;
        return await newTaskCommand(context, { title, ...(type === undefined ? {} : { type }), ...(priority === undefined ? {} : { priority }), ...(agent === undefined ? {} : { agent }), ...(id === undefined ? {} : { id }), ...(prompt === undefined ? {} : { prompt }) });
      }
      case 'tasks':
        return await listTasks(context);
      case 'dispatch':
        return await dispatchCommand(context, parsed.positionals.slice(1), parsed.values['dry-run'] === true);
      case 'requeue':
        return await requeue(context, parsed.positionals[1]);
      case 'fix':
        return await fixCommand(context, parsed.positionals[1], parsed.values.agent);
      case 'approve':
        return await approvePlan(context, parsed.positionals[1]);
      case 'cancel':
        return await cancelCommand(context, parsed.positionals[1]);
      case 'diff':
        return await diffCommand(context, parsed.positionals[1]);
      case 'land':
        if (parsed.values.merge === true && parsed.values.pr === true) {
          err('ato land: --merge or --pr, not both\n');
          return 2;
        }
        return await landCommand(context, parsed.values.merge === true ? 'merge' : parsed.values.pr === true ? 'pr' : undefined, parsed.positionals[1]);
      case 'discard':
        return await landCommand(context, 'discard', parsed.positionals[1]);
      case 'resume': {
        const raw = parsed.values.budget;
        const budget = raw === undefined ? Number.NaN : Number(raw);
        if (parsed.positionals[1] === undefined || !Number.isFinite(budget) || budget <= 0) {
          err('ato resume: which task, and its new budget? ato resume <id> --budget <usd>\n');
          return 2;
        }
        return await resumeWithBudget(context, parsed.positionals[1], budget);
      }
      case 'agents':
        return await agents(context, parsed.values.test);
      case 'events': {
        const task = parsed.values.task;
        if (task?.trim() === '') {
          err('ato events: which task? ato events --task <id> [--follow] [--json]\n');
          return 2;
        }
        return await eventsCommand(context, { follow: parsed.values.follow === true, ...(task === undefined ? {} : { task }) });
      }
      case 'tick':
        return await tick(context, parsed.values['dry-run'] === true);
      case 'adopt':
        return await adopt(context, parsed.values['dry-run'] === true);
      case 'run': {
        const raw = parsed.values['max-ticks'];
        const maxTicks = raw === undefined ? undefined : Number(raw);
        if (maxTicks !== undefined && (!Number.isInteger(maxTicks) || maxTicks < 1)) {
          err(`ato: --max-ticks wants a whole number of at least 1, not "${raw ?? ''}"\n`);
          return 2;
        }
        return await run(context, maxTicks);
      }
      case 'help':
        out(usage);
        return 0;
      default:
        err(`ato: unknown command "${command}"\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    log.error('%s failed: %s', command, error);
    return 1;
  }
}

async function gatherState(context: CliContext, env: NodeJS.ProcessEnv): Promise<{ state: AtoState; keys: Record<SecretId, boolean>; settings: ReturnType<typeof readEnvironmentSettings> }> {
  const settings = readEnvironmentSettings(env);
  const secrets = redactingSecretSource(environmentSecretSource(env), context.redactor);
  const keys = Object.fromEntries(await Promise.all(secretIds.map(async id => [id, (await secrets.get(id)) !== undefined] as const))) as Record<SecretId, boolean>;
  const planning = await inspectPlanningFolder(join(context.workspaceRoot, settings.settings.planningPath));
  const base = initialAtoState(basename(context.workspaceRoot), true);
  const state: AtoState = {
    ...base,
    planning,
    auth: { github: keys['github.token'] ? { kind: 'token' } : { kind: 'none' }, gitlab: keys['gitlab.token'], jules: keys['jules.apiKey'], anthropic: keys['anthropic.apiKey'] },
    settingsProblems: settings.problems,
  };
  return { state, keys, settings };
}

async function status(context: CliContext, env: NodeJS.ProcessEnv): Promise<number> {
  const { state } = await gatherState(context, env);
  const loop: StatusLoop = state.planning.kind === 'ready' || state.planning.kind === 'partial'
    ? await loopStatus(context).catch((error: unknown): StatusLoop => ({ available: false, mode: 'github', reason: `The loop's state could not be read: ${describeError(error)}` }))
    : { available: false, mode: 'off', reason: 'No planning folder here (ato init creates one).' };
  const planning = state.planning.kind === 'partial' ? { ...state.planning, missing: [...state.planning.missing] }
    // Without a loop the counts are the working tree's: valid tasks and invalid files apart, as the panel counts them.
    : state.planning.kind === 'ready' && !loop.available ? { ...state.planning, queue: await queueCounts(context) }
    : state.planning;
  const document: StatusDocument = { workspace: context.workspaceRoot, planning, auth: state.auth, settingsProblems: state.settingsProblems.map(problem => ({ ...problem })), loop };
  if (context.json) context.out(`${JSON.stringify(context.redactor.redactValue(document), null, 2)}\n`);
  else context.out(renderStatus(context.redactor.redactValue(document)));
  return state.settingsProblems.length > 0 ? 1 : 0;
}

/** The queue index's counts: valid tasks per folder and invalid files apart. */
async function queueCounts(context: CliContext): Promise<{ pending: number; processed: number; complete: number; invalid: number }> {
  const index = await openQueue(context);
  try {
    const snapshot = index.snapshot();
    return { ...snapshot.counts, invalid: snapshot.invalid.length };
  } finally {
    index.dispose();
  }
}

async function doctor(context: CliContext, env: NodeJS.ProcessEnv): Promise<number> {
  const { state, keys, settings } = await gatherState(context, env);
  const secrets = redactingSecretSource(environmentSecretSource(env), context.redactor);
  const hosts = { apiUrl: settings.settings['github.apiUrl'] };
  const github = await githubProbeTarget(context.workspaceRoot, hosts, headlessTokenLookup(hosts, () => secrets.get('github.token')));
  const connections = await checkConnections({ settings: settings.settings, secrets, github, fetch: globalThis.fetch });
  const agents = await hostAgents({ settings: settings.settings, secrets, workspaceRoot: context.workspaceRoot, log: context.log, allowances: { projectMcpServers: projectMcpServersAllowed(env) }, remote: { jules: true } });
  const tools = await checkLocalTools(context.workspaceRoot, agents.agents);
  const listed = await new RunStore({ workspaceRoot: context.workspaceRoot, redactor: context.redactor }).list();
  const runRecords = { readable: listed.records.length, problems: listed.problems };
  const failed = connections.some(c => c.outcome === 'failed') || tools.some(t => t.blocking === true) || agents.problems.length > 0 || state.settingsProblems.length > 0 || state.planning.kind === 'error' || runRecords.problems.length > 0;
  if (context.json) {
    context.out(`${JSON.stringify(context.redactor.redactValue({ planning: state.planning, keys, settingsProblems: state.settingsProblems, connections, tools, agentProblems: agents.problems, runRecords }), null, 2)}\n`);
  } else {
    context.out(renderDoctorReport({ atoVersion: ATO_VERSION, host: 'ato CLI', nodeVersion: process.version, platform: `${process.platform}-${process.arch}`, state, keys, connections, tools, agentProblems: agents.problems, runRecords }));
  }
  return failed ? 1 : 0;
}

async function init(context: CliContext, env: NodeJS.ProcessEnv): Promise<number> {
  const settings = readEnvironmentSettings(env);
  const root = join(context.workspaceRoot, settings.settings.planningPath);
  const { created } = await initializePlanningFolder(root);
  context.out(created.length === 0 ? `planning folder already complete: ${root}\n` : `created in ${root}:\n${created.map(c => `  ${c}\n`).join('')}`);
  return 0;
}

