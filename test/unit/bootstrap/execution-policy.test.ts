import { Template } from 'aws-cdk-lib/assertions';
import { COVERED_TYPE_PREFIXES, executionPolicy } from '../../../bootstrap/execution-policy';
import { MeteringStage } from '../../../src/metering-stage';
import { exampleConfig, testApp } from '../../helpers/cdk';

const config = exampleConfig();
const dev = config.stages.find((s) => s.stageName === 'dev');
if (!dev) throw new Error('no dev stage');
const app = testApp();
const stage = new MeteringStage(app, 'dev', {
  appName: config.pipeline.appName,
  config: dev,
  toolchainAccount: config.pipeline.toolchain.account,
});
const types = new Set(
  [stage.data, stage.service].flatMap((s) =>
    Object.values(Template.fromStack(s).toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type),
  ),
);
const policy = executionPolicy({ appName: 'metering', stageName: 'dev', account: dev.account, region: dev.region });
const sids = new Set(policy.Statement.map((s) => s.Sid));

test('covers every resource type the stage deploys', () => {
  const uncovered = [...types].filter((t) => {
    const key = Object.keys(COVERED_TYPE_PREFIXES).find((k) => t.startsWith(k));
    return !key || !sids.has(COVERED_TYPE_PREFIXES[key]);
  });
  expect(uncovered).toEqual([]);
});

test('never allows every action, and scopes IAM to the stage prefix', () => {
  for (const s of policy.Statement) expect(s.Action).not.toContain('*');
  const iam = policy.Statement.find((s) => s.Sid === 'Iam');
  expect(iam?.Resource).toEqual([
    'arn:aws:iam::111111111111:role/metering-dev-*',
    'arn:aws:iam::111111111111:policy/metering-dev-*',
  ]);
});

test('fits the 6,144-character limit of a managed policy', () => {
  expect(JSON.stringify(policy).length).toBeLessThan(6144);
});
