import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import * as naming from '../config/naming';
import type { StageConfig } from '../config/schema';
import { AccessLogDelivery } from '../constructs/access-log-delivery';
import { Compaction } from '../constructs/compaction';
import { LakeSetup } from '../constructs/lake-setup';
import { MeteredApi } from '../constructs/metered-api';
import { Monitoring } from '../constructs/monitoring';
import { SmokeTestAccess } from '../constructs/smoke-test-access';
import type { DataStack } from './data-stack';

export interface ServiceStackProps extends StackProps {
  /** Short application name from `config/pipeline.json`. */
  readonly appName: string;
  /** The environment's validated config. */
  readonly config: StageConfig;
  /** Account of the pipeline, whose smoke-test step role the smoke-test role trusts. */
  readonly toolchainAccount: string;
  /**
   * The only principal the smoke-test role trusts.
   * @default the pipeline's smoke-test step role in the toolchain account
   */
  readonly smokeTestTrustedArn?: string;
  /** The stateful resources this stack works on. */
  readonly data: DataStack;
}

/** Outputs of a stage, by the names in `naming.OUTPUT_NAMES`. */
export type StageOutputs = Record<keyof typeof naming.OUTPUT_NAMES, CfnOutput>;

/**
 * Everything stateless: API, delivery stream, lake setup, compaction job,
 * alarms and the smoke-test role. Safe to replace at any time.
 */
export class ServiceStack extends Stack {
  readonly outputs: StageOutputs;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { appName, config, data } = props;
    const stage = config.stageName;
    const { bucket, key } = data.storage;
    const databaseName = data.catalog.databaseName;
    const workgroupName = naming.workgroupName(appName, stage);

    const monitoring = new Monitoring(this, 'Monitoring', {
      alarmEmail: config.alarmEmail,
      dashboardName: `${appName}-${stage}`,
      encryptionKey: key,
    });
    const alarms = { alarmTopic: monitoring.alarmTopic, dashboard: monitoring.dashboard };

    const delivery = new AccessLogDelivery(this, 'AccessLogDelivery', {
      streamName: naming.deliveryStreamName(appName, stage),
      bucket,
      encryptionKey: key,
      bufferSizeMiB: config.firehose.bufferSizeMiB,
      bufferIntervalSeconds: config.firehose.bufferIntervalSeconds,
      logRetentionDays: config.retention.logDays,
      ...alarms,
    });

    const api = new MeteredApi(this, 'Api', {
      stageName: stage,
      userPool: data.users.userPool,
      accessLogStream: delivery.deliveryStream,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      logRetentionDays: config.retention.logDays,
      ...alarms,
    });

    const compaction = new Compaction(this, 'Compaction', {
      roleName: naming.compactionRoleName(appName, stage),
      bucket,
      encryptionKey: key,
      databaseName,
      workgroupName,
      resultsBucket: data.catalog.resultsBucket,
      schedule: config.compaction.schedule,
      lagMinutes: config.compaction.lagMinutes,
      unclosedAlarmHours: config.compaction.unclosedAlarmHours,
      logRetentionDays: config.retention.logDays,
      stageName: stage,
      ...alarms,
    });

    const smoke = new SmokeTestAccess(this, 'SmokeTest', {
      roleName: naming.smokeTestRoleName(appName, stage),
      trustedRoleArn:
        props.smokeTestTrustedArn ??
        `arn:${this.partition}:iam::${props.toolchainAccount}:role/${naming.smokeStepRoleName(appName)}`,
      userPool: data.users.userPool,
      roundTrip: config.smokeTest.roundTrip
        ? { workgroupName, databaseName, resultsBucket: data.catalog.resultsBucket, encryptionKey: key }
        : undefined,
    });

    const lake = new LakeSetup(this, 'LakeSetup', {
      handlerRoleName: naming.lakeSetupRoleName(appName, stage),
      analystRoleName: naming.analystRoleName(appName, stage),
      databaseName,
      bucket,
      encryptionKey: key,
      resultsBucket: data.catalog.resultsBucket,
      workgroupName,
      bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
      compactionRole: compaction.role,
      readerPrincipalArns: config.lakeFormation.analystPrincipals,
      rawReaders: config.smokeTest.roundTrip ? [smoke.role] : [],
      logRetentionDays: config.retention.logDays,
    });
    // The job must not run before its tables and grants exist.
    compaction.schedule.node.addDependency(lake);

    const O = naming.OUTPUT_NAMES;
    const out = (name: string, value: string, description: string) =>
      new CfnOutput(this, name, { key: name, value, description });
    this.outputs = {
      apiUrl: out(O.apiUrl, api.url, 'Invoke URL of the metered API stage'),
      userPoolId: out(O.userPoolId, data.users.userPool.userPoolId, 'Cognito user pool id'),
      userPoolClientId: out(O.userPoolClientId, data.users.userPoolClient.userPoolClientId, 'Cognito app client id'),
      deliveryStreamName: out(
        O.deliveryStreamName,
        delivery.deliveryStream.deliveryStreamName,
        'Access-log delivery stream',
      ),
      lakeBucketName: out(O.lakeBucketName, bucket.bucketName, 'Lake bucket (raw/ and compacted/)'),
      workgroupName: out(O.workgroupName, workgroupName, 'Athena workgroup'),
      databaseName: out(O.databaseName, databaseName, 'Glue database'),
      smokeTestRoleArn: out(O.smokeTestRoleArn, smoke.role.roleArn, 'Role the pipeline smoke test assumes'),
      compactionFunctionName: out(
        O.compactionFunctionName,
        compaction.function.functionName,
        'Hourly compaction function (npm run compact invokes it)',
      ),
    };
  }
}
