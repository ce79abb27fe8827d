import { jsonSchemaDocument } from '../util/jsonSchemaDocument';
import { runRecordSchema } from './runRecord';

/**
 * The JSON Schema of a run record, generated from {@link runRecordSchema}. `schemas/run-record.schema.json`
 * is this document; a unit test keeps the two equal (run it with ATO_UPDATE_SCHEMAS=1 to rewrite the file).
 */
export function runRecordJsonSchema(): Record<string, unknown> {
  return jsonSchemaDocument(runRecordSchema, {
    id: 'urn:ato:schema:run-record:1',
    title: 'ATO run record',
    description: 'One agent working on one task, as ATO stores it in .ato/runs/<runId>.json (version 1).',
  });
}
