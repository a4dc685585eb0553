import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { lakeApp } from './lake-fixture';

describe('cdk-nag AwsSolutions on the lake constructs', () => {
  test('the lake catalog and lake setup synthesize without unacknowledged findings', () => {
    const { app } = lakeApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  test('the same check fails on an unacknowledged wildcard (the check is live)', () => {
    const { app, setup } = lakeApp();
    setup.analystRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::x/*'] }),
    );
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5/);
  });
});
