import type { AgentUsage } from '../agentBackend';
import { defuseMarkers, singleLine } from '../../loop/texts/thirdPartyText';
import { formatCost } from '../../tasks/taskResultSection';

export interface ClaudeReportInput {
  readonly taskId: string;
  readonly title: string;
  readonly runId: string;
  readonly usage: AgentUsage;
  /** The model's answer (Markdown). */
  readonly answer: string;
  /** Target files that were named but not sent, with why (one line each). */
  readonly filesNotSent: readonly string[];
}

/**
 * The report file's text: a heading and the facts of the run (model, tokens, cost — or why the cost is
 * unknown), then the model's answer as it wrote it, with HTML comments defused so it carries no ATO marker.
 */
export function renderClaudeReport(input: ClaudeReportInput): string {
  const { usage } = input;
  const tokens = [`${String(usage.inputTokens ?? 0)} in`, `${String(usage.outputTokens ?? 0)} out`];
  if ((usage.cacheReadTokens ?? 0) > 0) tokens.push(`${String(usage.cacheReadTokens)} cache read`);
  if ((usage.cacheWriteTokens ?? 0) > 0) tokens.push(`${String(usage.cacheWriteTokens)} cache write`);
  const lines = [
    `# Report: ${singleLine(input.title)}`,
    '',
    `- **Task:** ${singleLine(input.taskId)}`,
    `- **Run:** ${input.runId}`,
    `- **Model:** ${singleLine(usage.model ?? 'unknown')}`,
    `- **Tokens:** ${tokens.join(', ')}`,
    `- **Cost:** ${usage.costUsd === undefined ? `unknown — ${usage.costNote ?? 'no price'}` : `${formatCost(usage.costUsd)} (${usage.costNote ?? 'list price'})`}`,
    ...input.filesNotSent.map(line => `- **Not sent:** ${singleLine(line)}`),
    '',
    '---',
    '',
    defuseMarkers(input.answer.replace(/\r\n?/g, '\n')).trim(),
    '',
  ];
  return lines.join('\n');
}
