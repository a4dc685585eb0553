import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../pipeline/build-app';
import { cdkCliVersionFromLockfile } from '../../pipeline/cli-version';
import { loadProjectConfig } from '../../src/config/load';
import { NODE_RUNTIME } from '../../src/constructs/lib/node-function';
import type { MeteringStage } from '../../src/metering-stage';
import { CONFIG_DIR, testApp } from '../helpers/cdk';

/**
 * The committed config plus one environment added exactly as the README says
 * (a new config file and its name in `stages`, nothing else), in a region the
 * pipeline does not run in, so CodePipeline's cross-region support is covered too.
 */
function configWithAddedEnvironment() {
  const dir = mkdtempSync(path.join(tmpdir(), 'config-added-env-'));
  try {
    cpSync(CONFIG_DIR, dir, { recursive: true });
    const qa = {
      ...JSON.parse(readFileSync(path.join(dir, 'staging.json'), 'utf8')),
      account: '555555555555',
      region: 'us-east-1',
    };
    writeFileSync(path.join(dir, 'qa.json'), JSON.stringify(qa, null, 2));
    const pipeline = JSON.parse(readFileSync(path.join(dir, 'pipeline.json'), 'utf8'));
    pipeline.stages = ['dev', 'qa', 'staging', 'prod'];
    writeFileSync(path.join(dir, 'pipeline.json'), JSON.stringify(pipeline, null, 2));
    return loadProjectConfig(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The whole app as `npm run synth` builds it (which CI also runs on the committed
 * config), pipeline and every stage plus a sandbox: cdk-nag (AwsSolutions) and the
 * strict CloudFormation rules must pass with no unacknowledged finding.
 */
describe('the whole app, with an environment added in another region', () => {
  const config = configWithAddedEnvironment();
  const app = testApp();
  const pipeline = buildApp(app, config, {
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
    expect(pipeline.stages.map((s) => [s.stageName, s.account, s.region])).toEqual(
      config.stages.map((c) => [c.stageName, c.account, c.region]),
    );
    expect(pipeline.stages.map((s) => s.stageName)).toEqual(['dev', 'qa', 'staging', 'prod']);
  });
});
