import { agentsReportSchema } from '../../../shared/agentsReport';
import { jsonSchemaDocument } from '../../util/jsonSchemaDocument';

/** The JSON Schema of `ato agents --json`, generated from {@link agentsReportSchema} (src/shared/agentsReport.ts). */
export function agentsReportJsonSchema(): Record<string, unknown> {
  return jsonSchemaDocument(agentsReportSchema, {
    id: 'urn:ato:schema:agents:1',
    title: 'ato agents --json',
    description: 'The fleet: each agent with its vendor, health, runs in flight and today against its caps, spend, the vendor window, headroom with reasons, last error and success rates per task type; each vendor with its spend today and this month against its budgets and its window.',
  });
}
