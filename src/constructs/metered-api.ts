import * as apigw from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface MeteredApiProps {
  /** Name of the API stage (also the `stage` field of every access-log line). */
  readonly stageName: string;
  /** Pool whose tokens the authorizer accepts. */
  readonly userPool: cognito.IUserPool;
  /** Stream the stage sends its access logs to. */
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
}

/** The metered workload: `GET /random/strings` behind a Cognito authorizer, with access logs to Firehose. */
export class MeteredApi extends Construct {
  readonly api: apigw.RestApi;

  constructor(scope: Construct, id: string, props: MeteredApiProps) {
    super(scope, id);
    this.api = new apigw.RestApi(this, 'Api', { deployOptions: { stageName: props.stageName } });
    this.api.root.addResource('random').addResource('strings').addMethod('GET', new apigw.MockIntegration());
  }

  /** Invoke URL of the stage, ending in '/'. */
  get url(): string {
    return this.api.url;
  }
}
