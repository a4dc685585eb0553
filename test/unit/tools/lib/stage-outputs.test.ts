import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { OUTPUT_NAMES } from '../../../../src/config/naming';
import { UsageError } from '../../../../tools/lib/args';
import { readDeployedStage, requireOutput } from '../../../../tools/lib/stage-outputs';
import { CONFIG_DIR, exampleConfig } from '../../../helpers/cdk';

const cfn = mockClient(CloudFormationClient);
const regions: string[] = [];
const opts = {
  configDir: CONFIG_DIR,
  cloudFormation: (region: string) => {
    regions.push(region);
    return new CloudFormationClient({ region });
  },
};
const app = exampleConfig().pipeline.appName;
const dev = exampleConfig().stages.find((s) => s.stageName === 'dev');

beforeEach(() => {
  cfn.reset();
  regions.length = 0;
});

describe('readDeployedStage', () => {
  test("reads the service stack's outputs by their contract names, in the stage's region", async () => {
    cfn.on(DescribeStacksCommand, { StackName: `${app}-dev-service` }).resolves({
      Stacks: [
        {
          StackName: `${app}-dev-service`,
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: [
            { OutputKey: OUTPUT_NAMES.apiUrl, OutputValue: 'https://api.example/dev/' },
            { OutputKey: OUTPUT_NAMES.workgroupName, OutputValue: `${app}-dev` },
            { OutputKey: 'SomethingElse', OutputValue: 'ignored' },
          ],
        },
      ],
    });
    const stage = await readDeployedStage('dev', opts);
    expect(regions).toEqual([dev?.region]);
    expect(stage.outputs).toEqual({ apiUrl: 'https://api.example/dev/', workgroupName: `${app}-dev` });
    expect(requireOutput(stage, 'apiUrl')).toBe('https://api.example/dev/');
    expect(() => requireOutput(stage, 'userPoolId')).toThrow(
      `stack ${app}-dev-service has no output ${OUTPUT_NAMES.userPoolId}`,
    );
  });

  test('a stack that is not deployed is reported with its name, region and account', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error(`Stack with id ${app}-dev-service does not exist`), { name: 'ValidationError' }),
      );
    await expect(readDeployedStage('dev', opts)).rejects.toThrow(
      `stack ${app}-dev-service does not exist in ${dev?.region} (account ${dev?.account})`,
    );
  });

  test('an unknown stage is a usage error listing the configured ones', async () => {
    await expect(readDeployedStage('qa', opts)).rejects.toThrow(UsageError);
    await expect(readDeployedStage('qa', opts)).rejects.toThrow(/no stage "qa" in config; expected one of dev, /);
  });
});
