import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configJsonSchemaText } from '../../src/config/json-schema';
import { configReferenceMarkdown } from '../../src/config/reference';

// Regenerates config/schema.json and docs/configuration.md; a test fails while either is stale.
const root = path.join(__dirname, '..', '..');
const outputs: [string, string][] = [
  [path.join(root, 'config', 'schema.json'), configJsonSchemaText()],
  [path.join(root, 'docs', 'configuration.md'), configReferenceMarkdown()],
];
for (const [file, text] of outputs) {
  writeFileSync(file, text);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
