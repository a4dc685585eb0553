import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../pipeline/build-app';
import { cdkCliVersionFromLockfile } from '../../pipeline/cli-version';
import { NODE_RUNTIME } from '../../src/constructs/lib/node-function';
import type { MeteringStage } from '../../src/metering-stage';
import { exampleConfig, testApp } from '../helpers/cdk';

/**
 * The whole app as `npm run synth` builds it, pipeline and every stage plus a
 * sandbox: cdk-nag (AwsSolutions) and the strict CloudFormation rules must pass
 * with no unacknowledged finding.
 */
describe('the whole app', () => {
  const app = testApp({ env: 'dev' });
  const pipeline = buildApp(app, exampleConfig(), {
    cliVersion: cdkCliVersionFromLockfile(path.join(__dirname, '..', '..', 'package-lock.json')),
    sandbox: { from: 'dev' },
  });
  let synthError: unknown;
  try {
    app.synth();
  } catch (e) {
    synthError = e;
  }

  it('synthesizes with every cdk-nag and CloudFormation-rule finding fixed or acknowledged', () => {
    expect(synthError).toBeUndefined();
  });

  const stages = [...pipeline.stages, app.node.findChild('Sandbox') as MeteringStage];
  const stacks: Stack[] = stages.flatMap((s) => [s.data, s.service]);

  it('runs every function of ours on the newest Node.js runtime, on arm64', () => {
    let ours = 0;
    for (const stack of stacks) {
      const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function');
      for (const [id, fn] of Object.entries(functions)) {
        const props = fn.Properties as { Runtime?: string; Architectures?: string[]; Handler?: string };
        // CDK's own singleton providers (bucket auto-delete, custom-resource framework) pick their runtime themselves.
        if (/^(CustomS3AutoDeleteObjects|AWS)|framework/i.test(id)) continue;
        ours++;
        expect({ id, runtime: props.Runtime, arch: props.Architectures }).toEqual({
          id,
          runtime: NODE_RUNTIME.name,
          arch: ['arm64'],
        });
      }
    }
    expect(ours).toBeGreaterThanOrEqual((stacks.length / 2) * 4);
  });

  it('puts each stage in exactly its configured account and region', () => {
    for (const s of pipeline.stages) {
      const config = exampleConfig().stages.find((c) => `${c.stageName}` === s.stageName);
      expect({ stage: s.stageName, account: s.account, region: s.region }).toEqual({
        stage: config?.stageName,
        account: config?.account,
        region: config?.region,
      });
    }
  });
});
