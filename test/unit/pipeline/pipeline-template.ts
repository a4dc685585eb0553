import type { Template } from 'aws-cdk-lib/assertions';

/** The parts of a synthesized pipeline the tests read. */
export interface PipelineAction {
  readonly Name: string;
  readonly RunOrder?: number;
  readonly Region?: string;
  readonly RoleArn?: unknown;
  readonly ActionTypeId: { readonly Category: string; readonly Provider: string };
  readonly Configuration?: Record<string, unknown>;
}
export interface PipelineStageJson {
  readonly Name: string;
  readonly Actions: readonly PipelineAction[];
}

export function pipelineStages(template: Template): PipelineStageJson[] {
  const pipelines = Object.values(template.findResources('AWS::CodePipeline::Pipeline'));
  if (pipelines.length !== 1) throw new Error(`expected one pipeline, found ${pipelines.length}`);
  return pipelines[0].Properties.Stages as PipelineStageJson[];
}

/** Action names of a stage in execution order (run order, then declaration). */
export function actionOrder(stage: PipelineStageJson): string[] {
  return [...stage.Actions].sort((a, b) => (a.RunOrder ?? 1) - (b.RunOrder ?? 1)).map((a) => a.Name);
}

/** Flattens CloudFormation `Fn::Join` with literal parts and `Ref: AWS::Partition` into a string. */
export function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as { 'Fn::Join'?: [string, unknown[]]; Ref?: string; 'Fn::Sub'?: string };
  if (v?.['Fn::Join']) return v['Fn::Join'][1].map(joined).join(v['Fn::Join'][0]);
  if (v?.Ref === 'AWS::Partition') return 'aws';
  if (v?.Ref) return `<${v.Ref}>`;
  if (v?.['Fn::Sub']) return v['Fn::Sub'].replace(/\$\{AWS::Partition\}/g, 'aws');
  return JSON.stringify(value);
}
