import * as z from 'zod/mini';
import '../../shared/zod';

/** A JSON Schema document (`schemas/*.schema.json`) generated from a zod schema, with its id, title and description. */
export function jsonSchemaDocument(schema: z.ZodMiniType, meta: { readonly id: string; readonly title: string; readonly description: string }): Record<string, unknown> {
  const generated = z.toJSONSchema(schema) as Record<string, unknown>;
  return { $schema: generated['$schema'], $id: meta.id, title: meta.title, description: meta.description, ...generated };
}
