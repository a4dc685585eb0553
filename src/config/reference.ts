import { configJsonSchema } from './json-schema';

interface Prop {
  type?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  properties?: Record<string, Prop>;
  required?: string[];
  items?: Prop;
}

/**
 * `docs/configuration.md`: every config field with its meaning, type, bounds and
 * default, generated from the same schema that validates the files.
 */
export function configReferenceMarkdown(): string {
  const defs = (configJsonSchema() as { $defs: Record<string, Prop> }).$defs;
  const lines = [
    '# Configuration reference',
    '',
    'Generated from `src/config/schema.ts` by `npm run config:schema`; a test fails when it is stale.',
    'Every file is validated at synth; a bad value stops synth with one message naming the file, the field and what was expected.',
    '',
    '## `config/pipeline.json`',
    '',
    ...table(defs.pipeline),
    '',
    '## `config/<stage>.json` (one per environment, named in `stages`)',
    '',
    ...table(defs.environment),
    '',
    'Cross-file rules: every name in `stages` has a file and every file is in `stages`; no two stages share an account and region; a stage named `prod` must be `production`; a `production` stage must have `manualApproval` and `keepData`; `compaction.lagMinutes` must exceed the Firehose buffer interval.',
    '',
  ];
  return `${lines.join('\n')}`;
}

function table(def: Prop): string[] {
  const rows = ['| field | type | required | default | meaning |', '| --- | --- | --- | --- | --- |'];
  const walk = (p: Prop, prefix: string) => {
    for (const [name, child] of Object.entries(p.properties ?? {})) {
      if (name === '$schema') continue;
      const field = `${prefix}${name}`;
      const required = (p.required ?? []).includes(name) && child.default === undefined ? 'yes' : '';
      const dflt = child.default === undefined ? '' : `\`${JSON.stringify(child.default)}\``;
      rows.push(
        `| \`${field}\` | ${typeOf(child)} | ${required} | ${dflt} | ${(child.description ?? '').replace(/\|/g, '\\|')} |`,
      );
      if (child.type === 'object') walk(child, `${field}.`);
    }
  };
  walk(def, '');
  return rows;
}

function typeOf(p: Prop): string {
  if (p.enum && p.enum.length > 8) return `${p.type ?? 'enum'} (${p.enum.length} values)`;
  if (p.enum) return p.enum.map((e) => `\`${JSON.stringify(e)}\``).join(' \\| ');
  if (p.minimum !== undefined || p.maximum !== undefined) return `${p.type} ${p.minimum ?? ''}–${p.maximum ?? ''}`;
  if (p.type === 'array') return `${typeOf(p.items ?? {})}[]`;
  if (p.format) return `${p.type} (${p.format})`;
  if (p.pattern && p.pattern.length > 40) return `${p.type} (see the schema's pattern)`;
  if (p.pattern) return `${p.type} (\`${p.pattern.replace(/\|/g, '\\|')}\`)`;
  return p.type ?? 'any';
}
