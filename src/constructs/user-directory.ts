import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { NodeFunction } from './lib/node-function';

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
  /** Rejects emails that would need escaping in the access log's `username` field. */
  readonly preSignUp: NodeFunction;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);
    this.preSignUp = new NodeFunction(this, 'PreSignUp', {
      entry: path.join(__dirname, '..', 'runtime', 'pre-sign-up', 'handler.ts'),
      logRetentionDays: props.logRetentionDays,
      timeout: Duration.seconds(5),
    });

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: props.selfSignUp,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // Immutable, so the address the pre-sign-up trigger checked is the one
      // that reaches the access log for the life of the user.
      standardAttributes: { email: { required: true, mutable: false } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      lambdaTriggers: { preSignUp: this.preSignUp.function },
      deletionProtection: props.keepData,
      removalPolicy: props.keepData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP offered): API tenants and the pipeline smoke test sign in from scripts with USER_PASSWORD_AUTH, which a required second factor would break.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection needs the Cognito Plus feature plan, billed per active user; the pool holds API tenants only, sign-ins are rate-limited by Cognito and the API by stage throttling. Revisit before public self sign-up.',
    });

    this.userPoolClient = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userPassword: true, adminUserPassword: true, userSrp: true },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
