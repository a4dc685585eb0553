import * as path from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cdkCliVersionFromLockfile } from '../../pipeline/cli-version';
import { PipelineStack } from '../../pipeline/pipeline-stack';
import { exampleConfig, testApp } from '../helpers/cdk';

// The stages' own findings belong to their constructs' tests; this checks what the pipeline stack adds.
const config = exampleConfig();
const app = testApp();
const stack = new PipelineStack(app, 'Pipeline', {
  env: { account: config.pipeline.toolchain.account, region: config.pipeline.toolchain.region },
  config,
  cliVersion: cdkCliVersionFromLockfile(path.join(__dirname, '..', '..', 'package-lock.json')),
});
app.synth();

test('the pipeline stack has no unacknowledged cdk-nag findings', () => {
  const report = new AwsSolutionsChecks().validateScope(stack);
  const stagePaths = config.stages.map((s) => `Pipeline/${s.stageName}/`);
  const mine = report.violations.flatMap((v) =>
    v.violatingResources
      .map((r) => `${v.ruleName} ${r.constructPath}`)
      .filter((p) => !stagePaths.some((s) => p.split(' ')[1].startsWith(s))),
  );
  expect(mine).toEqual([]);
});

test('acknowledgements name exact findings, never a whole rule for IAM5', () => {
  const acks = stack.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules'))
    .flatMap((m) => Object.keys(m.data as Record<string, string>));
  expect(acks.length).toBeGreaterThan(0);
  for (const id of acks.filter((a) => a.includes('IAM5'))) expect(id).toMatch(/IAM5\[(Action|Resource)::.+\]$/);
});
