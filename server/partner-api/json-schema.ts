/**
 * valibot schema → JSON Schema 2020-12 (the dialect OpenAPI 3.1 uses), through the official
 * converter. `errorMode: 'throw'`: a schema the converter cannot express (a transform, say) fails
 * at start-up rather than producing a document that lies.
 *
 * One exception: a `check` (a rule across fields, like SR's score `min ≤ raw ≤ max`) has no JSON
 * Schema keyword; it is written into the schema's description with its message instead, so the
 * document still says what the server enforces (a client validating locally may let through what
 * the server then refuses with 400 naming the field).
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import type { ParametersSchema } from './operation.js';

export type JsonSchema = Record<string, unknown>;

export function jsonSchemaOf(schema: v.GenericSchema): JsonSchema {
  const { $schema: _dialect, ...rest } = toJsonSchema(schema, {
    target: 'draft-2020-12',
    errorMode: 'throw',
    overrideAction: ({ valibotAction, jsonSchema }) => {
      if (valibotAction.type !== 'check') return undefined;
      const message = (valibotAction as { message?: unknown }).message;
      const rule = `Checked by the server: ${typeof message === 'string' ? message : 'a rule across fields'}.`;
      return { ...jsonSchema, description: typeof jsonSchema.description === 'string' ? `${jsonSchema.description} ${rule}` : rule };
    },
  }) as JsonSchema;
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
