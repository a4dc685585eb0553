import { AwsSolutionsChecks } from 'cdk-nag';
import { exampleMeteringStage, testApp } from '../helpers/cdk';

/** Construct paths of the capture path: lake storage, user pool, delivery stream, API, monitoring. */
const CAPTURE = /^Test\/(Data\/(Lake|Users)|Service\/(AccessLogDelivery|Api|Monitoring))\//;

/**
 * cdk-nag findings on the capture constructs of a synthesized stage. The pack
 * runs after synthesis, as in `npm run synth`, so acknowledgements recorded
 * during synthesis (cross-stack wildcard resources) count; findings of other
 * constructs are left to their own nag tests.
 */
function captureFindings(stageName: string): string[] {
  const app = testApp();
  exampleMeteringStage(stageName, {}, app);
  app.synth();
  const { violations } = new AwsSolutionsChecks().validateScope(app);
  return violations.flatMap((v) =>
    v.violatingResources
      .filter((r) => CAPTURE.test(r.constructPath ?? ''))
      .map((r) => `${v.ruleName} ${r.constructPath}`),
  );
}

describe('cdk-nag AwsSolutions on the capture path', () => {
  // dev is a throw-away env (auto-delete, destroy), prod keeps its data: both shapes are checked.
  it.each(['dev', 'prod'])('%s has no unacknowledged finding', (stageName) => {
    expect(captureFindings(stageName)).toEqual([]);
  });
});
