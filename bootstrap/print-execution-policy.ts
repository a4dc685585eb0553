import * as path from 'node:path';
import { loadProjectConfig } from '../src/config/load';
import { executionPolicy } from './execution-policy';

/** `npx tsx bootstrap/print-execution-policy.ts <stage>`: the execution policy JSON of that stage's account. */
const [stageName] = process.argv.slice(2);
const config = loadProjectConfig(path.join(__dirname, '..', 'config'));
const stage = config.stages.find((s) => s.stageName === stageName);
if (!stage) {
  console.error(
    `usage: print-execution-policy.ts <stage>; expected one of ${config.stages.map((s) => s.stageName).join(', ')}`,
  );
  process.exit(1);
}
console.log(
  JSON.stringify(
    executionPolicy({
      appName: config.pipeline.appName,
      stageName: stage.stageName,
      account: stage.account,
      region: stage.region,
    }),
    null,
    2,
  ),
);
