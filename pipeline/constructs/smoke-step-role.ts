import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface SmokeStepRoleProps {
  /** Fixed name: each stage's smoke-test role trusts exactly this role's ARN. */
  readonly roleName: string;
  /** The stage smoke-test roles the smoke test may assume. */
  readonly smokeTestRoleArns: readonly string[];
}

/**
 * The role every smoke-test build runs as. Besides what CDK Pipelines adds for
 * the build itself (logs, artifacts), it may only assume the stages' smoke-test roles.
 */
export class SmokeStepRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: SmokeStepRoleProps) {
    super(scope, id);
    if (props.smokeTestRoleArns.length === 0) throw new Error('SmokeStepRole: expected at least one smoke-test role');
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
      description: 'Runs the post-deploy smoke tests; may only assume the stage smoke-test roles',
      inlinePolicies: {
        AssumeSmokeTestRoles: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: [...props.smokeTestRoleArns] }),
          ],
        }),
      },
    });
  }
}
