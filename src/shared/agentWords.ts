import type { PanelAgent } from './protocol';

/**
 * Words for an agent's health and headroom, the same in the tree (host) and the control panel (webview).
 * Pure; each state is said in words (and an icon), never by colour alone.
 */

export const agentHealthLabels: Readonly<Record<PanelAgent['health'], string>> = { ok: 'healthy', failing: 'unhealthy', unchecked: 'not checked' };

/** Codicons for the health (a closed window wins: the agent waits whatever its health). */
export function agentIcon(agent: Pick<PanelAgent, 'health' | 'window'>): string {
  if (agent.window !== null) return 'watch';
  return agent.health === 'ok' ? 'pass' : agent.health === 'failing' ? 'error' : 'question';
}

/** "1/3 running". */
export function inFlightText(agent: Pick<PanelAgent, 'inFlight' | 'concurrentCap'>): string {
  return `${String(agent.inFlight)}/${String(agent.concurrentCap)} running`;
}

/** "4/15 runs today", or "4 runs today" without a cap. */
export function runsTodayText(agent: Pick<PanelAgent, 'runsToday' | 'dailyCap'>): string {
  const runs = agent.dailyCap === null ? String(agent.runsToday) : `${String(agent.runsToday)}/${String(agent.dailyCap)}`;
  return `${runs} ${agent.runsToday === 1 && agent.dailyCap === null ? 'run' : 'runs'} today`;
}

/** "$1.20 of $5.00 today", or "$1.20 today" without a budget. */
export function spendText(agent: Pick<PanelAgent, 'spendTodayUsd' | 'budgetUsd'>): string {
  return agent.budgetUsd === null ? `${usd(agent.spendTodayUsd)} today` : `${usd(agent.spendTodayUsd)} of ${usd(agent.budgetUsd)} today`;
}

/** "closed until 14:32 — 429 retry-after" (local time), or undefined while the window is open. */
export function windowText(agent: Pick<PanelAgent, 'window'>): string | undefined {
  if (agent.window === null) return undefined;
  const until = new Date(agent.window.closedUntil);
  const time = Number.isNaN(until.getTime()) ? agent.window.closedUntil : `${two(until.getHours())}:${two(until.getMinutes())}`;
  return `closed until ${time} — ${agent.window.reason}`;
}

/** One line for the tree's description: health, load, today's runs and spend, the window when closed. */
export function agentLine(agent: PanelAgent): string {
  return [agentHealthLabels[agent.health], inFlightText(agent), runsTodayText(agent), spendText(agent), windowText(agent)].filter(part => part !== undefined).join(' · ');
}

/** Everything about the agent, one fact a line (a tooltip). */
export function agentDetails(agent: PanelAgent): string {
  const window = windowText(agent);
  return [
    `${agent.id} (${agent.kind}): ${agentHealthLabels[agent.health]} — ${agent.healthDetail}`,
    `${inFlightText(agent)} · ${runsTodayText(agent)} · ${spendText(agent)}`,
    ...(window === undefined ? [] : [`Window ${window}`]),
    ...(agent.lastError === null ? [] : [`Last error: ${agent.lastError}`]),
  ].join('\n');
}

function usd(value: number): string {
  return `$${value.toFixed(2)}`;
}

function two(value: number): string {
  return String(value).padStart(2, '0');
}
