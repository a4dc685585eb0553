import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as pipelines from 'aws-cdk-lib/pipelines';

/** The commands README and CI run: the pipeline builds a change exactly as a developer does. */
export const SYNTH_COMMANDS = ['npm ci', 'npm test', 'npm run synth'] as const;

export interface SynthStepProps {
  /** The repository checkout to build. */
  readonly input: pipelines.IFileSetProducer;
}

/**
 * Installs from the lockfile, runs every check (types, lint, unit and cdk-nag
 * tests) and synthesizes the cloud assembly into `cdk.out`.
 */
export class SynthStep extends pipelines.CodeBuildStep {
  constructor(id: string, props: SynthStepProps) {
    super(id, {
      input: props.input,
      commands: [...SYNTH_COMMANDS],
      primaryOutputDirectory: 'cdk.out',
      // Typecheck, jest (two workers) and synth of every stage: MEDIUM's 4 vCPUs and 7 GB keep it well inside the timeout.
      buildEnvironment: { computeType: codebuild.ComputeType.MEDIUM },
    });
  }
}
