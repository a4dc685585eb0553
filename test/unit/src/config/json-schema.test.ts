import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema, configJsonSchemaText } from '../../../../src/config/json-schema';
import { configReferenceMarkdown } from '../../../../src/config/reference';
import { CONFIG_DIR } from '../../../helpers/cdk';

describe('config/schema.json', () => {
  it('is up to date with src/config/schema.ts (run `npm run config:schema` to regenerate)', () => {
    const committed = readFileSync(path.join(CONFIG_DIR, 'schema.json'), 'utf8');
    expect(committed).toBe(configJsonSchemaText());
  });

  it('has an up-to-date field reference in docs/configuration.md', () => {
    const committed = readFileSync(path.join(CONFIG_DIR, '..', 'docs', 'configuration.md'), 'utf8');
    expect(committed).toBe(configReferenceMarkdown());
    expect(committed).toContain('| `firehose.bufferSizeMiB` | integer 1–128 | yes |');
  });

  it('is named in $schema by every config file, so editors pick it up', () => {
    const files = readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.json') && f !== 'schema.json');
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      const json = JSON.parse(readFileSync(path.join(CONFIG_DIR, f), 'utf8')) as { $schema?: string };
      expect({ file: f, $schema: json.$schema }).toEqual({ file: f, $schema: './schema.json' });
    }
  });

  it('routes pipeline.json and environment files to their definitions and forbids unknown fields', () => {
    const schema = configJsonSchema() as {
      if: unknown;
      $defs: Record<string, { additionalProperties: boolean; required: string[]; properties: Record<string, unknown> }>;
    };
    expect(schema.if).toEqual({ type: 'object', required: ['stages'] });
    expect(schema.$defs.pipeline.additionalProperties).toBe(false);
    expect(schema.$defs.environment.additionalProperties).toBe(false);
    expect(schema.$defs.environment.required).toEqual(
      expect.arrayContaining(['account', 'region', 'keepData', 'firehose', 'api', 'alarmEmail']),
    );
    expect(schema.$defs.environment.properties.firehose).toMatchObject({
      properties: {
        bufferSizeMiB: { minimum: 1, maximum: 128 },
        bufferIntervalSeconds: { minimum: 0, maximum: 900 },
      },
    });
  });
});
