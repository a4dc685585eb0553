import { AthenaClient } from '@aws-sdk/client-athena';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

/** Name of the variable that points Cognito calls at another endpoint (cognito-local in tests). */
export const COGNITO_ENDPOINT_ENV = 'METERING_COGNITO_ENDPOINT';

export interface AwsClientOptions {
  readonly region: string;
  /** Role to assume for every call (the stage's smoke-test role); else the caller's own credentials. */
  readonly roleArn?: string;
  /** Session name shown in CloudTrail. */
  readonly sessionName?: string;
  /** Cognito endpoint override, e.g. cognito-local in tests. */
  readonly cognitoEndpoint?: string;
}

/** Credentials for the stage account: the assumed role when given, else the default chain. */
export function stageCredentials(opts: AwsClientOptions): ReturnType<typeof fromTemporaryCredentials> | undefined {
  if (!opts.roleArn) return undefined;
  return fromTemporaryCredentials({
    params: {
      RoleArn: opts.roleArn,
      RoleSessionName: (opts.sessionName ?? `metering-tools-${Date.now()}`).slice(0, 64),
      DurationSeconds: 900,
    },
    // STS in the stage's region: the caller runs in the toolchain region.
    clientConfig: { region: opts.region },
  });
}

export function cognitoClient(opts: AwsClientOptions, credentials = stageCredentials(opts)) {
  return new CognitoIdentityProviderClient({
    region: opts.region,
    credentials,
    endpoint: opts.cognitoEndpoint,
  });
}

export function athenaClient(opts: AwsClientOptions, credentials = stageCredentials(opts)) {
  return new AthenaClient({ region: opts.region, credentials });
}
