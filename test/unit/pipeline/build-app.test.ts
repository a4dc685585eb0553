import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, sandboxConfig } from '../../../pipeline/build-app';
import { ConfigError } from '../../../src/config/load';
import type { MeteringStage } from '../../../src/metering-stage';
import { exampleConfig, testApp } from '../../helpers/cdk';

describe('the developer sandbox (-c env=<stage>)', () => {
  const config = exampleConfig();

  it('is a throw-away copy of the stage under its own name, in the developer account when known', () => {
    const s = sandboxConfig(config, { from: 'prod', account: '555555555555', region: 'us-east-1' });
    expect(s).toMatchObject({
      stageName: 'sandbox',
      account: '555555555555',
      region: 'us-east-1',
      production: false,
      manualApproval: false,
      keepData: false,
    });
    expect(s.firehose).toEqual(config.stages[2].firehose);
    expect(sandboxConfig(config, { from: 'dev' })).toMatchObject({ account: '111111111111', region: 'eu-west-1' });
  });

  it('names an unknown stage and a name that would collide with a pipeline stage', () => {
    expect(() => sandboxConfig(config, { from: 'qa' })).toThrow(
      new ConfigError('-c env=qa: expected one of the stages in config/pipeline.json: dev, staging, prod'),
    );
    expect(() => sandboxConfig(config, { from: 'dev', name: 'staging' })).toThrow(
      /-c sandbox=staging: expected a new name/,
    );
    expect(() => sandboxConfig(config, { from: 'dev', name: 'Bad_Name' })).toThrow(/-c sandbox=Bad_Name/);
  });

  describe('synthesized', () => {
    const app = testApp();
    buildApp(app, config, { cliVersion: '2.1148.1', sandbox: { from: 'dev', name: 'alice', account: '555555555555' } });
    const sandbox = app.node.findChild('Sandbox') as MeteringStage;

    it('has stack names of its own, so it never touches the pipeline-deployed dev stacks', () => {
      expect([sandbox.data.stackName, sandbox.service.stackName]).toEqual([
        'metering-alice-data',
        'metering-alice-service',
      ]);
      expect(sandbox.account).toBe('555555555555');
    });

    it('empties and deletes its buckets with the stack', () => {
      const buckets = Template.fromStack(sandbox.data).findResources('AWS::S3::Bucket');
      for (const b of Object.values(buckets)) expect(b.DeletionPolicy).toBe('Delete');
    });

    it('lets its own account, not the pipeline, assume the smoke-test role', () => {
      Template.fromStack(sandbox.service).hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'metering-alice-smoke-test',
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::555555555555:root' } },
          ],
        },
      });
    });
  });
});
