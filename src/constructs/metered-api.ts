import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { accessLogFormat } from '../lake/access-log-format';
import { notifyOn } from './lib/alarms';
import { NodeFunction } from './lib/node-function';

export interface MeteredApiProps {
  /** Name of the API stage (also the `stage` field of every access-log line). */
  readonly stageName: string;
  /** Pool whose tokens the authorizer accepts. */
  readonly userPool: cognito.IUserPool;
  /** Stream the stage sends its access logs to (a `DeliveryStream` of this app). */
  readonly accessLogStream: firehose.IDeliveryStream;
  /** Stage-wide steady-state rate, requests per second. */
  readonly throttlingRateLimit: number;
  /** Stage-wide burst. */
  readonly throttlingBurstLimit: number;
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** Topic the API alarms notify. */
  readonly alarmTopic: sns.ITopic;
  /** Dashboard that gets the API widgets. */
  readonly dashboard: cloudwatch.Dashboard;
  /**
   * Alarm when this fraction of requests in 5 minutes fails with a 5XX.
   * @default 0.01
   */
  readonly serverErrorRateThreshold?: number;
}

/** The metered workload: `GET /random/strings` behind a Cognito authorizer, with access logs to Firehose. */
export class MeteredApi extends Construct {
  readonly api: apigw.RestApi;
  readonly handler: NodeFunction;
  readonly serverErrorAlarm: cloudwatch.Alarm;
  readonly functionErrorAlarm: cloudwatch.Alarm;
  readonly functionThrottleAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: MeteredApiProps) {
    super(scope, id);
    const stream = props.accessLogStream.node.defaultChild;
    if (!(stream instanceof firehose.CfnDeliveryStream)) {
      throw new Error('accessLogStream must be a DeliveryStream defined in this app (API Gateway needs its resource)');
    }

    this.handler = new NodeFunction(this, 'RandomStrings', {
      entry: path.join(__dirname, '..', 'runtime', 'random-strings', 'handler.ts'),
      logRetentionDays: props.logRetentionDays,
      // Cold start is part of every scaled-out request; the handler needs no SDK.
      useRuntimeSdk: true,
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: { POWERTOOLS_SERVICE_NAME: 'random-strings', POWERTOOLS_LOG_LEVEL: 'INFO' },
    });

    this.api = new apigw.RestApi(this, 'Api', {
      description: 'Metered random-strings API; every request is billed from its access-log line',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      // Execution logging needs the account's API Gateway CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Full request logging would write bearer tokens to CloudWatch.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        accessLogDestination: new apigw.FirehoseLogDestination(stream),
        accessLogFormat: apigw.AccessLogFormat.custom(accessLogFormat()),
      },
    });
    for (const [id, type] of [
      ['Default4xx', apigw.ResponseType.DEFAULT_4XX],
      ['Default5xx', apigw.ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, {
        type,
        responseHeaders: { 'Content-Type': "'application/json'" },
        templates: { 'application/json': '{"message":$context.error.messageString}' },
      });
    }

    const authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      cognitoUserPools: [props.userPool],
      identitySource: apigw.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.minutes(5),
    });
    this.api.root
      .addResource('random')
      .addResource('strings')
      .addMethod('GET', new apigw.LambdaIntegration(this.handler.function, { proxy: true }), {
        authorizer,
        authorizationType: apigw.AuthorizationType.COGNITO,
      });

    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason:
        'The only method takes optional query parameters, which a request validator can only check for presence; the handler validates them and answers 400 with the allowed values (unit tests prove it).',
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'No WAF: every method requires a Cognito token, the stage is throttled from config, and a web ACL costs per request in every env. Add one (e.g. AWS managed IP reputation + rate rules) when the API is exposed to untrusted self sign-up.',
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-level role API Gateway uses to write execution logs; the AWS managed policy is the documented one and only allows CloudWatch Logs writes.',
    });

    this.serverErrorAlarm = this.alarms(props);
    this.functionErrorAlarm = this.handler.function
      .metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'FunctionErrorAlarm', {
        alarmDescription:
          'The random-strings function failed: it answers bad input with 400, so any error is a bug (see its log group).',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.functionThrottleAlarm = this.handler.function
      .metricThrottles({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM })
      .createAlarm(this, 'FunctionThrottleAlarm', {
        alarmDescription: 'The random-strings function was throttled: callers got 5XX (raise its concurrency quota).',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    notifyOn(props.alarmTopic, [this.serverErrorAlarm, this.functionErrorAlarm, this.functionThrottleAlarm]);
  }

  /** Invoke URL of the stage, ending in '/'. */
  get url(): string {
    return this.api.url;
  }

  private alarms(props: MeteredApiProps): cloudwatch.Alarm {
    const stage = this.api.deploymentStage;
    const period = Duration.minutes(5);
    const requests = stage.metricCount({ period, statistic: cloudwatch.Stats.SUM, label: 'Requests' });
    const clientErrors = stage.metricClientError({ period, statistic: cloudwatch.Stats.SUM, label: '4XX' });
    const serverErrors = stage.metricServerError({ period, statistic: cloudwatch.Stats.SUM, label: '5XX' });
    // 5XXError is 0 or 1 per request, so its average is the 5XX rate.
    const serverErrorRate = stage.metricServerError({ period, statistic: cloudwatch.Stats.AVERAGE, label: '5XX rate' });
    const threshold = props.serverErrorRateThreshold ?? 0.01;

    props.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API requests', left: [requests], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'API 4XX / 5XX', left: [clientErrors, serverErrors], width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: [
          stage.metricLatency({ period, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
          stage.metricLatency({ period, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
          stage.metricIntegrationLatency({ period, statistic: cloudwatch.Stats.p(99), label: 'integration p99' }),
        ],
        width: 8,
      }),
    );

    // No requests means no errors: missing data must not page a quiet environment.
    return serverErrorRate.createAlarm(this, 'ServerErrorAlarm', {
      alarmDescription: `More than ${threshold * 100}% of API requests failed with 5XX in 5 minutes, twice in a row.`,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
