/**
 * valibot schema → JSON Schema 2020-12 (the dialect OpenAPI 3.1 uses), through the official
 * converter. `errorMode: 'throw'`: a schema the converter cannot express (a transform, say) fails
 * at start-up rather than producing a document that lies.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { ParametersSchema } from './operation.js';

export type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'throw' }) as JsonSchema;
  return rest;
}

export interface ParameterDescription {
  name: string;
  required: boolean;
  schema: JsonSchema;
  description?: string;
}

/** The entries of a flat parameters object (query or path), one JSON Schema each. */
export function parametersOf(schema: ParametersSchema | undefined): ParameterDescription[] {
  if (!schema) return [];
  return Object.entries(schema.entries as Record<string, v.GenericSchema>).map(([name, entry]) => {
    const { description, ...rest } = jsonSchemaOf(entry);
    return {
      name,
      required: entry.type !== 'optional' && entry.type !== 'nullish',
      schema: rest,
      ...(typeof description === 'string' ? { description } : {}),
    };
  });
}
