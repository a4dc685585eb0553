/**
 * Names that must agree across accounts or across deploys, derived in one place.
 * Roles that become Lake Formation admins or are trusted from another account
 * get fixed names: a renamed admin role stays in the admin list and breaks later
 * deploys, and a cross-account trust needs a name known before deploy.
 */

/** API Gateway only delivers access logs to streams whose name has this prefix. */
export const deliveryStreamName = (app: string, stage: string) => `amazon-apigateway-${app}-${stage}`;

/** Role in the toolchain account that the smoke-test CodeBuild step runs as. */
export const smokeStepRoleName = (app: string) => `${app}-pipeline-smoke-step`;

/** Role in each stage account that the smoke-test step assumes. */
export const smokeTestRoleName = (app: string, stage: string) => `${app}-${stage}-smoke-test`;

/** Role of the lake setup custom resource handler (a Lake Formation admin). */
export const lakeSetupRoleName = (app: string, stage: string) => `${app}-${stage}-lake-setup`;

/** Role of the compaction job. */
export const compactionRoleName = (app: string, stage: string) => `${app}-${stage}-compaction`;

/** Read-only analyst role created by the stage. */
export const analystRoleName = (app: string, stage: string) => `${app}-${stage}-analyst`;

/** Glue database of a stage: SQL identifiers cannot contain '-'. */
export const databaseName = (app: string, stage: string) => `${app}_${stage}`.replace(/-/g, '_');

/** Athena workgroup of a stage. */
export const workgroupName = (app: string, stage: string) => `${app}-${stage}`;

/** Stack names inside a stage, stable so outputs can be read back by name. */
export const stackNames = (app: string, stage: string) => ({
  data: `${app}-${stage}-data`,
  service: `${app}-${stage}-service`,
});

/**
 * Output keys the smoke test, the operator tools and the pipeline read. They are
 * part of the contract with deployed stacks: changing one breaks those readers.
 */
export const OUTPUT_NAMES = {
  apiUrl: 'ApiUrl',
  userPoolId: 'UserPoolId',
  userPoolClientId: 'UserPoolClientId',
  deliveryStreamName: 'DeliveryStreamName',
  lakeBucketName: 'LakeBucketName',
  workgroupName: 'WorkgroupName',
  databaseName: 'DatabaseName',
  smokeTestRoleArn: 'SmokeTestRoleArn',
  compactionFunctionName: 'CompactionFunctionName',
} as const;

/**
 * Environment variables through which the pipeline hands a stage's outputs to
 * the smoke test (`envFromCfnOutputs`), and which `npm run smoke` reads.
 */
export const SMOKE_ENV = {
  apiUrl: 'METERING_API_URL',
  userPoolId: 'METERING_USER_POOL_ID',
  userPoolClientId: 'METERING_USER_POOL_CLIENT_ID',
  smokeTestRoleArn: 'METERING_SMOKE_TEST_ROLE_ARN',
  workgroupName: 'METERING_WORKGROUP',
  databaseName: 'METERING_DATABASE',
  /** Region of the stage (CodeBuild's own AWS_REGION is the toolchain's). */
  region: 'METERING_REGION',
  /** `true` to run the metering round trip. */
  roundTrip: 'METERING_ROUND_TRIP',
  /** Firehose buffer interval of the stage, seconds: bounds the round-trip wait. */
  bufferIntervalSeconds: 'METERING_BUFFER_INTERVAL_SECONDS',
} as const;
