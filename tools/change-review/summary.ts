import type { ResourceChange, StackDiff } from './parse';

/**
 * Resource types that hold data or identity: replacing or deleting one loses
 * metered data, users or the keys that decrypt them.
 */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Cognito::UserPool',
  'AWS::Glue::Database',
  'AWS::Glue::Table',
  'AWS::DynamoDB::Table',
  'AWS::Logs::LogGroup',
]);

export interface ReviewContext {
  /** Stage being promoted. */
  readonly stageName: string;
  /** Pipeline execution the review was made for. */
  readonly executionId: string;
  /** When the diff was taken. */
  readonly generatedAt: Date;
}

export interface Finding {
  readonly stack: string;
  readonly change: ResourceChange;
}

/** What a reviewer must look at, across all stacks of the stage. */
export interface ReviewFindings {
  readonly replacements: readonly Finding[];
  readonly deletions: readonly Finding[];
  /** Replaced or deleted resources that hold data. */
  readonly dataAtRisk: readonly Finding[];
  /** IAM resources added, changed or removed. */
  readonly iamResources: readonly Finding[];
  /** Stacks with IAM or security-group tables in their diff. */
  readonly stacksWithSecurityChanges: readonly string[];
  readonly changedStacks: number;
}

const isIam = (type: string) => type.startsWith('AWS::IAM::') || type === 'AWS::Lambda::Permission';

export function findings(stacks: readonly StackDiff[]): ReviewFindings {
  const all = stacks.flatMap((s) => s.resources.map((change) => ({ stack: s.stackName ?? s.displayName, change })));
  const replacements = all.filter((f) => f.change.impact === 'replace' || f.change.impact === 'may-replace');
  const deletions = all.filter((f) => f.change.kind === 'remove' && f.change.impact !== 'orphan');
  return {
    replacements,
    deletions,
    dataAtRisk: [...replacements, ...deletions].filter((f) => STATEFUL_TYPES.has(f.change.type)),
    iamResources: all.filter((f) => isIam(f.change.type)),
    stacksWithSecurityChanges: stacks
      .filter((s) => s.securityTables.length > 0)
      .map((s) => s.stackName ?? s.displayName),
    changedStacks: stacks.filter((s) => s.differences).length,
  };
}

/** One line a reviewer reads first. */
export function verdict(f: ReviewFindings): string {
  if (f.changedStacks === 0) return 'No changes: the stage already runs exactly this.';
  const parts = [
    f.dataAtRisk.length > 0 ? `${f.dataAtRisk.length} stateful resource(s) replaced or deleted (DATA AT RISK)` : '',
    f.replacements.length > 0 ? `${f.replacements.length} replacement(s)` : '',
    f.deletions.length > 0 ? `${f.deletions.length} deletion(s)` : '',
    f.stacksWithSecurityChanges.length > 0 || f.iamResources.length > 0 ? 'IAM/security changes' : '',
  ].filter(Boolean);
  return parts.length > 0 ? `Attention: ${parts.join(', ')}.` : 'In-place updates and additions only; no IAM changes.';
}

const describe = (f: Finding) => {
  const c = f.change;
  const where = c.path ? `${c.path} (${c.logicalId})` : c.logicalId;
  const cause = c.replacementCauses.length > 0 ? ` because of ${c.replacementCauses.join(', ')}` : '';
  const impact = c.impact === 'none' ? c.kind : c.impact;
  return `- \`${f.stack}\`: ${c.type} ${where}: **${impact}**${cause}`;
};

const section = (title: string, items: readonly Finding[], none: string) => [
  `## ${title}`,
  '',
  ...(items.length > 0 ? items.map(describe) : [none]),
  '',
];

/** The summary published for the approver (Markdown). */
export function renderSummary(stacks: readonly StackDiff[], ctx: ReviewContext, rawDiff: string): string {
  const f = findings(stacks);
  const lines = [
    `# Change review: ${ctx.stageName}`,
    '',
    `- Pipeline execution: \`${ctx.executionId}\``,
    `- Generated: ${ctx.generatedAt.toISOString()}`,
    `- Stacks: ${stacks.map((s) => `\`${s.stackName ?? s.displayName}\``).join(', ')}`,
    '',
    `**${verdict(f)}**`,
    '',
    ...section('Stateful resources replaced or deleted', f.dataAtRisk, 'None.'),
    ...section('Replacements', f.replacements, 'None.'),
    ...section('Deletions', f.deletions, 'None.'),
    ...section('IAM resources changed', f.iamResources, 'None.'),
    '## IAM and security-group statement changes',
    '',
    ...(f.stacksWithSecurityChanges.length === 0
      ? ['None.', '']
      : stacks
          .filter((s) => s.securityTables.length > 0)
          .flatMap((s) => [`### ${s.stackName ?? s.displayName}`, '', '```text', ...s.securityTables, '```', ''])),
    '## Per stack',
    '',
    ...stacks.map((s) => {
      if (!s.differences) return `- \`${s.stackName ?? s.displayName}\`: no differences`;
      const count = (k: string) => s.resources.filter((r) => r.kind === k).length;
      return `- \`${s.stackName ?? s.displayName}\`: ${count('add')} added, ${count('modify')} modified, ${count('remove')} removed`;
    }),
    '',
    '## Full diff',
    '',
    '```text',
    rawDiff.trimEnd(),
    '```',
    '',
  ];
  return lines.join('\n');
}
