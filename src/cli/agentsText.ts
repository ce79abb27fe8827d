import type { AgentReport, AgentsReport, VendorReport } from '../shared/agentsReport';

/** `ato agents` as text: one block per agent, then one line per vendor. */
export function renderAgentsReport(report: AgentsReport): string {
  const lines: string[] = [];
  for (const agent of report.agents) lines.push(...agentLines(agent), '');
  if (report.vendors.length > 0) lines.push('Vendors:');
  for (const vendor of report.vendors) lines.push(`  ${vendorLine(vendor)}`);
  for (const problem of report.problems) lines.push(`Setting problem: ${problem}`);
  return `${lines.join('\n')}\n`;
}

function agentLines(agent: AgentReport): string[] {
  const health = agent.health === null ? 'not checked' : `${agent.health.ok ? 'healthy' : 'unhealthy'}: ${agent.health.detail}`;
  const lines = [
    `${agent.id} (${agent.kind}, vendor ${agent.vendor}) — ${agent.headroom.open ? 'can start' : `no headroom: ${agent.headroom.reasons.join('; ')}`}`,
    `  health     ${health}`,
    `  in flight  ${capped(agent.inFlight)}   today ${capped(agent.runsToday)} runs   spend today $${agent.spendToday.toFixed(2)}, this month $${agent.spendMonth.toFixed(2)}`,
    `  window     ${agent.window.open ? 'open' : agent.window.reason ?? 'closed'}`,
  ];
  if (agent.lastError !== null) lines.push(`  last error ${agent.lastError.at} ${agent.lastError.failure}: ${agent.lastError.message}`);
  if (agent.successRates.length > 0) lines.push(`  success    ${agent.successRates.map(rate => `${rate.taskType} ${rate.succeeded}/${rate.succeeded + rate.failed}`).join(', ')}`);
  return lines;
}

function vendorLine(vendor: VendorReport): string {
  const spend = (label: string, spent: { spentUsd: number; capUsd: number | null }): string => `${label} $${spent.spentUsd.toFixed(2)}${spent.capUsd === null ? '' : `/$${spent.capUsd.toFixed(2)}`}`;
  const parts = [
    `${vendor.vendor} (${vendor.agents.join(', ')}):`,
    `${vendor.inFlight} in flight,`,
    `${capped(vendor.runsToday)} runs today,`,
    `${spend('today', vendor.spendToday)},`,
    spend('month', vendor.spendMonth),
  ];
  if (vendor.premiumRequests !== null) parts.push(`· ${vendor.premiumRequests.today} premium requests today, ${vendor.premiumRequests.month} this month at $${vendor.premiumRequests.unitUsd.toFixed(2)}`);
  if (vendor.closedBecause.length > 0) parts.push(`— ${vendor.closedBecause.join('; ')}`);
  return parts.join(' ');
}

function capped(count: { used: number; cap: number | null }): string {
  return count.cap === null ? String(count.used) : `${count.used}/${count.cap}`;
}
