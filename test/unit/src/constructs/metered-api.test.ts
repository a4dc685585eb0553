import { Match, type Template } from 'aws-cdk-lib/assertions';
import { OUTPUT_NAMES } from '../../../../src/config/naming';
import { accessLogFormat } from '../../../../src/lake/access-log-format';
import { exampleMeteringStage, exampleStage, templateOf } from '../../../helpers/cdk';

function service(name: string, overrides: Parameters<typeof exampleStage>[1] = {}): Template {
  return templateOf(exampleMeteringStage(name, overrides).service);
}

const resource = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0] as [string, { Properties: Record<string, unknown> }];
};

describe('MeteredApi', () => {
  const dev = exampleStage('dev');
  let template: Template;
  let busier: Template;
  beforeAll(() => {
    template = service('dev');
    busier = service('dev', { api: { throttlingRateLimit: 321, throttlingBurstLimit: 654 } });
  });

  it('sends access logs to the delivery stream', () => {
    const [streamId] = resource(template, 'AWS::KinesisFirehose::DeliveryStream');
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [streamId, 'Arn'] }, Format: Match.anyValue() },
    });
  });

  it('keeps the access-log format, trailing newline included, intact in the template', () => {
    const [, stage] = resource(template, 'AWS::ApiGateway::Stage');
    const format = (stage.Properties.AccessLogSetting as { Format: string }).Format;
    expect(format).toBe(accessLogFormat());
    expect(format.endsWith('}\n')).toBe(true);
  });

  it('throttles the stage from config, logs errors, and turns on metrics and tracing', () => {
    const methodSettings = (t: Template) => {
      const [, stage] = resource(t, 'AWS::ApiGateway::Stage');
      expect(stage.Properties.TracingEnabled).toBe(true);
      return stage.Properties.MethodSettings;
    };
    const expected = (rate: number, burst: number) => [
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: rate,
        ThrottlingBurstLimit: burst,
        LoggingLevel: 'ERROR',
        DataTraceEnabled: false,
        MetricsEnabled: true,
      }),
    ];
    expect(methodSettings(template)).toEqual(expected(dev.api.throttlingRateLimit, dev.api.throttlingBurstLimit));
    expect(methodSettings(busier)).toEqual(expected(321, 654));
    // Execution logging needs the account's CloudWatch role.
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('puts GET /random/strings behind the Cognito user pool authorizer with a Lambda proxy integration', () => {
    const [authorizerId] = resource(template, 'AWS::ApiGateway::Authorizer');
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
      ProviderARNs: [Match.anyValue()],
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'COGNITO_USER_POOLS',
      AuthorizerId: { Ref: authorizerId },
      Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' },
    });
    const methods = template.findResources('AWS::ApiGateway::Method');
    // Every method needs a token (no unauthenticated OPTIONS or ANY).
    for (const m of Object.values(methods)) expect(m.Properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
  });

  it('answers gateway errors as JSON', () => {
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/json'" },
      });
    }
  });

  it('runs the handler on arm64 Node with the runtime SDK and X-Ray', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Architectures: ['arm64'],
      Runtime: Match.stringLikeRegexp('^nodejs'),
      TracingConfig: { Mode: 'Active' },
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'random-strings' }) },
    });
  });

  it('alarms on the 5XX rate and on function errors and throttles, without paging a quiet env', () => {
    const [functionId] = Object.entries(
      template.findResources('AWS::Lambda::Function', {
        Properties: { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: 'random-strings' } } },
      }),
    )[0] ?? [''];
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => {
      const stat = a.Properties.Metrics?.[0]?.MetricStat;
      const metric = stat?.Metric ?? a.Properties;
      return { ...a.Properties, ...metric, Stat: stat?.Stat ?? a.Properties.Statistic };
    });
    const on = (namespace: string, name: string, dimension?: unknown) => {
      const found = alarms.filter(
        (a) =>
          a.Namespace === namespace &&
          a.MetricName === name &&
          (dimension === undefined || JSON.stringify(a.Dimensions).includes(JSON.stringify(dimension))),
      );
      expect(found).toHaveLength(1);
      return found[0];
    };
    expect(on('AWS/ApiGateway', '5XXError')).toMatchObject({
      Stat: 'Average',
      Threshold: 0.01,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Dimensions: expect.arrayContaining([expect.objectContaining({ Name: 'Stage', Value: expect.anything() })]),
    });
    for (const name of ['Errors', 'Throttles']) {
      expect(on('AWS/Lambda', name, { Ref: functionId })).toMatchObject({
        Stat: 'Sum',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
      });
    }
  });

  it('puts requests, 4XX/5XX, latency and Firehose freshness on the env dashboard', () => {
    const [, dashboard] = resource(template, 'AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const text of ['API requests', '4XX', '5XX', 'p50', 'p99', 'DeliveryToS3.DataFreshness']) {
      expect(body).toContain(text);
    }
    expect(dashboard.Properties.DashboardName).toBe('metering-dev');
  });

  it('sends alarms to an encrypted topic with the env alarm email subscribed', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: dev.alarmEmail });
  });

  it('exports the stable output names the smoke test and operators read', () => {
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'DeliveryStreamName', 'LakeBucketName']),
    );
    for (const key of ['apiUrl', 'userPoolId', 'userPoolClientId', 'deliveryStreamName', 'lakeBucketName'] as const) {
      expect(outputs).toHaveProperty(OUTPUT_NAMES[key]);
    }
  });
});
