/**
 * Reads the text `cdk diff --no-color` prints (the format of
 * @aws-cdk/cloudformation-diff) into what a reviewer needs: per stack, which
 * resources change how, and the security tables verbatim.
 */

export type ChangeKind = 'add' | 'modify' | 'remove' | 'import';

/** What CloudFormation will do to the resource beyond an in-place update. */
export type Impact = 'replace' | 'may-replace' | 'destroy' | 'orphan' | 'import' | 'none';

export interface ResourceChange {
  readonly kind: ChangeKind;
  /** CloudFormation type, e.g. `AWS::S3::Bucket`. */
  readonly type: string;
  readonly logicalId: string;
  /** Construct path, when the diff knows it. */
  readonly path?: string;
  readonly impact: Impact;
  /** Properties whose change requires (or may cause) the replacement. */
  readonly replacementCauses: readonly string[];
}

export interface StackDiff {
  /** Id in the assembly, e.g. `Pipeline/prod/Data`. */
  readonly displayName: string;
  /** CloudFormation stack name, when printed. */
  readonly stackName?: string;
  readonly differences: boolean;
  readonly resources: readonly ResourceChange[];
  /** `IAM Statement Changes`, `IAM Policy Changes` and `Security Group Changes` tables, as printed. */
  readonly securityTables: readonly string[];
}

const STACK_HEADER = /^Stack (\S+)(?: \((.+)\))?\s*$/;
const SECTION = /^(Parameters|Resources|Outputs|Conditions|Mappings|Metadata|Other Changes|Transform|Description)\s*$/;
const SECURITY_SECTION = /^(IAM Statement Changes|IAM Policy Changes|Security Group Changes)\s*$/;
const RESOURCE_LINE = /^\[([+~\-←])\] (\S+::\S+) (.+)$/;
const CAUSE_LINE = /\[[+~-]\] (\S+) \((requires replacement|may cause replacement)\)/;
const IMPACTS: ReadonlyArray<[string, Impact]> = [
  [' may be replaced', 'may-replace'],
  [' replace', 'replace'],
  [' destroy', 'destroy'],
  [' orphan', 'orphan'],
  [' import', 'import'],
];
const KINDS: Record<string, ChangeKind> = { '+': 'add', '~': 'modify', '-': 'remove', '←': 'import' };

interface MutableStack {
  displayName: string;
  stackName?: string;
  differences: boolean;
  resources: { change: Omit<ResourceChange, 'replacementCauses'>; causes: string[] }[];
  securityTables: string[];
}

/** Parses the whole output of one `cdk diff` run (any number of stacks). */
export function parseCdkDiff(text: string): StackDiff[] {
  const stacks: MutableStack[] = [];
  let current: MutableStack | undefined;
  let section: string | undefined;
  let table: string[] | undefined;

  for (const raw of text.replace(/\r\n/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const header = STACK_HEADER.exec(line);
    if (header) {
      current = { displayName: header[1], stackName: header[2], differences: true, resources: [], securityTables: [] };
      stacks.push(current);
      section = undefined;
      table = undefined;
      continue;
    }
    if (!current) continue;
    if (line.startsWith('There were no differences')) {
      current.differences = false;
      continue;
    }
    if (table) {
      table.push(line);
      if (line.startsWith('└')) {
        current.securityTables.push(table.join('\n'));
        table = undefined;
      }
      continue;
    }
    const security = SECURITY_SECTION.exec(line);
    if (security) {
      table = [line];
      section = undefined;
      continue;
    }
    const heading = SECTION.exec(line);
    if (heading) {
      section = heading[1];
      continue;
    }
    if (section !== 'Resources') continue;

    const resource = RESOURCE_LINE.exec(line);
    if (resource) {
      let rest = resource[3];
      let impact: Impact = 'none';
      for (const [suffix, value] of IMPACTS) {
        if (rest.endsWith(suffix)) {
          impact = value;
          rest = rest.slice(0, -suffix.length);
          break;
        }
      }
      // The logical id never contains spaces; a construct path may ("S3 Destination Role").
      const cut = rest.lastIndexOf(' ');
      const logicalId = cut === -1 ? rest : rest.slice(cut + 1);
      const path = cut === -1 ? undefined : rest.slice(0, cut);
      current.resources.push({
        change: { kind: KINDS[resource[1]], type: resource[2], logicalId, path, impact },
        causes: [],
      });
      continue;
    }
    const cause = CAUSE_LINE.exec(line);
    const last = current.resources[current.resources.length - 1];
    if (cause && last) last.causes.push(cause[1]);
  }

  return stacks.map((s) => ({
    displayName: s.displayName,
    stackName: s.stackName,
    differences: s.differences,
    resources: s.resources.map((r) => ({ ...r.change, replacementCauses: r.causes })),
    securityTables: s.securityTables,
  }));
}
