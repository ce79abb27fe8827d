import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { agentsReportJsonSchema } from '../../../../../src/core/agents/fleet/agentsReport';

describe('ato agents --json: the schema', () => {
  const file = join(process.cwd(), 'schemas', 'ato-agents.schema.json');

  it('schemas/ato-agents.schema.json is the JSON Schema generated from the zod schema (ATO_UPDATE_SCHEMAS=1 rewrites it)', async () => {
    const expected = agentsReportJsonSchema();
    if (process.env['ATO_UPDATE_SCHEMAS'] === '1') {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(expected, null, 2)}\n`);
    }
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')) as unknown, expected);
  });
});
