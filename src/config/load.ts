import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findNodeAtLocation, type Node, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import {
  environmentConfigSchema,
  type PipelineConfig,
  type ProjectConfig,
  pipelineConfigSchema,
  type StageConfig,
} from './schema';

/** A config problem a person can fix: the message names the file, the field and what was expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const PIPELINE_FILE = 'pipeline.json';
const NON_STAGE_FILES = new Set([PIPELINE_FILE, 'schema.json']);

/** Loads, validates and cross-checks every file under `dir` (normally `config/`). */
export function loadProjectConfig(dir: string): ProjectConfig {
  const pipeline = loadFile(path.join(dir, PIPELINE_FILE), pipelineConfigSchema);
  const pipelinePath = path.join(dir, PIPELINE_FILE);

  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && !NON_STAGE_FILES.has(f)) : [];
  const onDisk = new Set(files.map((f) => f.slice(0, -'.json'.length)));
  for (const stage of pipeline.stages) {
    if (!onDisk.has(stage)) {
      throw new ConfigError(
        `${rel(pipelinePath)}: stages: stage "${stage}" is in the promotion order but ${rel(path.join(dir, `${stage}.json`))} does not exist`,
      );
    }
  }
  for (const stage of [...onDisk].sort()) {
    if (!pipeline.stages.includes(stage)) {
      throw new ConfigError(
        `${rel(path.join(dir, `${stage}.json`))}: stage "${stage}" is not in the promotion order; add it to "stages" in ${rel(pipelinePath)} or remove the file`,
      );
    }
  }

  const stages: StageConfig[] = pipeline.stages.map((stageName) => ({
    stageName,
    ...loadFile(path.join(dir, `${stageName}.json`), environmentConfigSchema),
  }));

  const seen = new Map<string, string>();
  for (const s of stages) {
    const key = `${s.account}/${s.region}`;
    const other = seen.get(key);
    if (other) {
      throw new ConfigError(
        `${rel(path.join(dir, `${s.stageName}.json`))}: account/region: stages "${other}" and "${s.stageName}" both target account ${s.account} in ${s.region}; expected each stage in its own account or region`,
      );
    }
    seen.set(key, s.stageName);
  }
  for (const s of stages) {
    if (s.stageName === 'prod' && !s.production) {
      throw new ConfigError(
        `${rel(path.join(dir, 'prod.json'))}: production: expected true for the stage named "prod"`,
      );
    }
  }
  return { pipeline, stages };
}

/** Loads only `pipeline.json` (for tools that need the app name but not every stage). */
export function loadPipelineConfig(dir: string): PipelineConfig {
  return loadFile(path.join(dir, PIPELINE_FILE), pipelineConfigSchema);
}

/** Reads, parses and validates one JSON file against `schema`. */
export function loadFile<S extends z.ZodType>(file: string, schema: S): z.output<S> {
  const where = rel(file);
  if (!existsSync(file)) throw new ConfigError(`${where}: file not found`);
  const text = readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (errors.length > 0 || !tree) {
    const e = errors[0];
    const { line, column } = lineColumn(text, e?.offset ?? 0);
    throw new ConfigError(
      `${where}:${line}:${column}: invalid JSON: ${e ? describeParseError(printParseErrorCode(e.error)) : 'empty file'}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${where}: invalid JSON: ${(e as Error).message}`);
  }
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;

  // A typo shows up twice, as an unknown key and as the missing real one: name the typo.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
  const fieldPath = issue.path.map(String);
  let field = fieldPath.length > 0 ? fieldPath.join('.') : '(top level)';
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    field = [...fieldPath, key].join('.');
    message = `unknown field "${key}"; expected one of: ${knownKeys(schema, fieldPath).join(', ')}`;
  } else if (issue.code === 'invalid_type' && !hasPath(value, fieldPath)) {
    message = `missing; ${message}`;
  }
  const node = findNodeAtLocation(tree, issue.code === 'unrecognized_keys' ? [...fieldPath, issue.keys[0]] : fieldPath);
  const pos = node ? lineColumn(text, keyOffset(node)) : undefined;
  throw new ConfigError(`${where}${pos ? `:${pos.line}:${pos.column}` : ''}: ${field}: ${message}`);
}

function hasPath(value: unknown, at: readonly string[]): boolean {
  let cur = value;
  for (const key of at) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) return false;
    cur = (cur as Record<string, unknown>)[key];
  }
  return true;
}

function keyOffset(node: Node): number {
  // Point at the property name rather than its value: that is what a reader looks for.
  return node.parent?.type === 'property' ? node.parent.offset : node.offset;
}

function knownKeys(schema: z.ZodType, at: readonly string[]): string[] {
  let s: unknown = schema;
  for (const key of at) s = shapeOf(s)?.[key];
  return Object.keys(shapeOf(s) ?? {}).filter((k) => k !== '$schema');
}

function shapeOf(s: unknown): Record<string, unknown> | undefined {
  // Unwrap defaults, optionals and refinements until the object with a shape.
  let cur = s as { shape?: Record<string, unknown>; def?: { innerType?: unknown; in?: unknown } } | undefined;
  for (let i = 0; i < 5 && cur && !cur.shape; i++) {
    cur = (cur.def?.innerType ?? cur.def?.in) as typeof cur;
  }
  return cur?.shape;
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: "expected ':'",
    CommaExpected: "expected ','",
    CloseBraceExpected: "expected '}'",
    CloseBracketExpected: "expected ']'",
    EndOfFileExpected: 'expected end of file',
    InvalidCommentToken: 'comments are not allowed',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
  };
  return words[code] ?? code;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function rel(file: string): string {
  const r = path.relative(process.cwd(), file);
  return r.startsWith('..') ? file : r;
}
