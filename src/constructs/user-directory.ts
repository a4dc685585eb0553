import { RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface UserDirectoryProps {
  /** Whether users may sign themselves up. */
  readonly selfSignUp: boolean;
  /** Retain the pool (and turn on deletion protection) when the stack is deleted. */
  readonly keepData: boolean;
  /** Retention of the pre-sign-up trigger's log group, in days. */
  readonly logRetentionDays: number;
}

/** The Cognito user pool whose immutable `sub` is the tenant key metering groups by. */
export class UserDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: props.selfSignUp,
      signInAliases: { email: true },
      deletionProtection: props.keepData,
      removalPolicy: props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.userPoolClient = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userPassword: true, adminUserPassword: true, userSrp: true },
    });
  }
}
