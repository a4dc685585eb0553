import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configJsonSchemaText } from '../../src/config/json-schema';

// Regenerates config/schema.json; a test fails while the committed file is stale.
const target = path.join(__dirname, '..', '..', 'config', 'schema.json');
writeFileSync(target, configJsonSchemaText());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
