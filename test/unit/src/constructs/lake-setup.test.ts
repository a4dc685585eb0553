import { Match, Template } from 'aws-cdk-lib/assertions';
import { lakeApp } from '../../../nag/lake-fixture';

const { service } = lakeApp();
const template = Template.fromStack(service);
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON; each test narrows what it reads.
type Json = any;
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties: Json; DependsOn?: string[] }
>;
const idOf = (type: string) => {
  const ids = Object.keys(resources).filter((k) => resources[k].Type === type);
  expect(ids).toHaveLength(1);
  return ids[0];
};

describe('LakeSetup', () => {
  test('workgroup: engine v3, enforced, encrypted results, metrics, cutoff from props', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'metering-dev',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        BytesScannedCutoffPerQuery: 1_000_000_000,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: Match.anyValue() },
          OutputLocation: { 'Fn::Join': ['', ['s3://', Match.anyValue(), '/results/']] },
        },
      },
    });
  });

  test('the cutoff follows the config', () => {
    const other = Template.fromStack(lakeApp({ bytesScannedCutoffPerQuery: 50_000_000 }).service);
    other.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({ BytesScannedCutoffPerQuery: 50_000_000 }),
    });
    expect(() => lakeApp({ bytesScannedCutoffPerQuery: 1000 })).toThrow(/at least 10,000,000/);
  });

  test('the handler becomes an admin by APPEND, listing only itself, so existing admins stay', () => {
    const settings = resources[idOf('AWS::LakeFormation::DataLakeSettings')].Properties;
    expect(settings).toEqual({
      MutationType: 'APPEND',
      Admins: [
        { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [expect.stringMatching(/^LakeSetupHandlerRole/), 'Arn'] } },
      ],
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'metering-dev-lake-setup' });
  });

  test('admin registration, data location and workgroup come before the custom resource', () => {
    const cr = resources[idOf('Custom::LakeSetup')];
    expect(cr.DependsOn).toEqual(
      expect.arrayContaining([
        idOf('AWS::LakeFormation::DataLakeSettings'),
        idOf('AWS::LakeFormation::Resource'),
        idOf('AWS::Athena::WorkGroup'),
      ]),
    );
  });

  test('the custom resource carries the DDL of every table and the grant set', () => {
    const props = resources[idOf('Custom::LakeSetup')].Properties;
    expect(props.Database).toBe('metering_dev');
    expect(props.WorkGroup).toBe('metering-dev');
    expect(props.Tables.map((t: { table: string }) => t.table)).toEqual([
      'access_log_raw',
      'access_log',
      'access_log_staging',
    ]);
    const staging = JSON.stringify(props.Tables[2].create);
    expect(staging).toContain("'projection.run_id.type' = 'injected'");
    expect(staging).toContain(`/compaction-staging/run_id=$${'{run_id}'}/`);
    const principals = props.Grants.map((g: { principal: unknown }) => JSON.stringify(g.principal));
    expect(principals.some((p: string) => p.includes('CompactionRole'))).toBe(true);
    expect(principals.some((p: string) => p.includes('AnalystRole'))).toBe(true);
    expect(principals).toContain(JSON.stringify('arn:aws:iam::111111111111:role/finance-reader'));
  });

  test('no IAM statement uses a * action; Resource * only for Lake Formation and X-Ray actions', () => {
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::IAM::Policy')) {
      for (const s of r.Properties.PolicyDocument.Statement) {
        const actions = ([] as string[]).concat(s.Action);
        for (const a of actions) expect(a).not.toMatch(/\*/);
        if (s.Resource === '*') {
          for (const a of actions) expect(a).toMatch(/^(lakeformation|xray):/);
        }
      }
    }
  });

  test('the handler may use Athena on its own workgroup only, Glue on its own database only', () => {
    const handlerPolicy = Object.entries(resources).find(
      ([k, r]) => r.Type === 'AWS::IAM::Policy' && k.startsWith('LakeSetupHandlerPolicy'),
    );
    const statements = handlerPolicy?.[1].Properties.PolicyDocument.Statement;
    const has = (action: string) => (s: { Action: string | string[] }) =>
      ([] as string[]).concat(s.Action).includes(action);
    const athena = statements.find(has('athena:StartQueryExecution'));
    expect(JSON.stringify(athena.Resource)).toContain(':workgroup/metering-dev');
    const glue = statements.find(has('glue:CreateTable'));
    expect(JSON.stringify(glue.Resource)).toMatch(/database\/metering_dev".*table\/metering_dev\/\*/);
  });

  test('the analyst role has a fixed name and trusts only this account', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'metering-dev-analyst',
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          }),
        ],
      },
    });
  });

  test('the lake bucket is registered with Lake Formation through a dedicated role', () => {
    template.hasResourceProperties('AWS::LakeFormation::Resource', {
      UseServiceLinkedRole: false,
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^LakeSetupDataLocationRole'), 'Arn'] },
    });
    const unregistered = Template.fromStack(lakeApp({ registerDataLocation: false }).service);
    unregistered.resourceCountIs('AWS::LakeFormation::Resource', 0);
  });

  test('a named query in the workgroup for each usage query, constrained to the current month', () => {
    const queries = Object.values(resources).filter((r) => r.Type === 'AWS::Athena::NamedQuery');
    expect(queries.map((q) => q.Properties.Name).sort()).toEqual(
      [
        'error-rate-per-hour-this-month',
        'provisional-hours-this-month',
        'top-endpoints-by-tenant-this-month',
        'usage-by-tenant-per-day-this-month',
        'usage-by-tenant-per-hour-this-month',
        'usage-by-tenant-this-month',
      ].sort(),
    );
    for (const q of queries) {
      expect(q.Properties.Database).toBe('metering_dev');
      expect(q.Properties.WorkGroup).toEqual({ Ref: idOf('AWS::Athena::WorkGroup') });
      expect(q.Properties.QueryString).toContain("year = year(date_trunc('month', current_date))");
    }
  });

  test('rejects a malicious database name', () => {
    expect(() => lakeApp({ databaseName: 'x"; DROP TABLE y; --' })).toThrow(/invalid database name/);
  });
});
