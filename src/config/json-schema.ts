import { z } from 'zod';
import { environmentConfigSchema, pipelineConfigSchema } from './schema';

/**
 * The JSON Schema that `config/schema.json` holds. One document covers both
 * kinds of file: a file with `stages` is the pipeline file, any other is an
 * environment. `if/then/else` (rather than `anyOf`) keeps editor messages
 * about the right kind of file.
 */
export function configJsonSchema(): Record<string, unknown> {
  const opts = { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' } as const;
  const strip = (s: Record<string, unknown>) => {
    const { $schema: _ignored, ...rest } = s;
    return rest;
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://github.com/saas-metering/config/schema.json',
    title: 'SaaS metering pipeline configuration',
    description:
      'Generated from src/config/schema.ts by `npm run config:schema`; do not edit by hand. A file with "stages" is config/pipeline.json; every other file is one environment.',
    if: { type: 'object', required: ['stages'] },
    then: { $ref: '#/$defs/pipeline' },
    else: { $ref: '#/$defs/environment' },
    $defs: {
      pipeline: strip(z.toJSONSchema(pipelineConfigSchema, opts) as Record<string, unknown>),
      environment: {
        ...strip(z.toJSONSchema(environmentConfigSchema, opts) as Record<string, unknown>),
        // The refinements zod cannot express in JSON Schema, restated so editors flag them too.
        allOf: [
          {
            if: { type: 'object', required: ['production'], properties: { production: { const: true } } },
            then: {
              required: ['manualApproval', 'keepData'],
              properties: { manualApproval: { const: true }, keepData: { const: true } },
            },
          },
        ],
      },
    },
  };
}

/** The file text, exactly as committed. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
