/**
 * `npm run bench`: the figures each issue names as targets, measured on this
 * machine. A benchmark, not a test: it prints and records, it does not assert.
 *
 *   npm run bench                 # everything
 *   npm run bench -- synth api    # only some sections: synth, test, bundles, api, compaction
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { measure } from './process-tree';

const ROOT = path.join(__dirname, '..', '..');
// The SDK's Node 22 notice is known (see .github/dependabot.yml) and would only clutter the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const SECTIONS = ['synth', 'test', 'bundles', 'api', 'compaction'] as const;
type Section = (typeof SECTIONS)[number];

interface Row {
  readonly what: string;
  readonly value: string;
  readonly target: string;
  readonly ok?: boolean;
}
const rows: Row[] = [];
const record = (what: string, value: string, target = '', ok?: boolean) => {
  rows.push({ what, value, target, ok });
  console.error(`  ${what}: ${value}${target ? `  (target ${target})` : ''}`);
};

async function benchCommand(name: string, command: string, maxSeconds: number, maxMiB: number): Promise<void> {
  console.error(`• ${command}`);
  const m = await measure(command, { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', FORCE_COLOR: '0' });
  if (m.exitCode !== 0) {
    console.error(m.output.slice(-4000));
    record(`${name} exit code`, String(m.exitCode), '0', false);
  }
  record(`${name} wall time`, `${m.wallSeconds.toFixed(1)} s`, `≤ ${maxSeconds} s`, m.wallSeconds <= maxSeconds);
  record(
    `${name} peak memory, whole process tree (PSS)`,
    `${m.peakRssMiB.toFixed(0)} MiB`,
    `≤ ${maxMiB} MB`,
    m.peakRssMiB <= maxMiB,
  );
  record(`${name} peak RSS, largest single process`, `${m.peakSingleRssMiB.toFixed(0)} MiB`, '');
}

/** Sizes of the Lambda bundles exactly as synth wrote them to cdk.out, one per distinct asset. */
function benchBundles(): void {
  const out = path.join(ROOT, 'cdk.out');
  if (!existsSync(out)) {
    record('Lambda bundles', 'cdk.out missing: run the synth section first', '');
    return;
  }
  const seen = new Map<string, string>();
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (f.startsWith('assembly-') && statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.template.json')) {
        const t = JSON.parse(readFileSync(p, 'utf8')) as {
          Resources?: Record<string, { Type: string; Metadata?: Record<string, string> }>;
        };
        for (const r of Object.values(t.Resources ?? {})) {
          const asset = r.Metadata?.['aws:asset:path'];
          if (r.Type !== 'AWS::Lambda::Function' || !asset) continue;
          const name = (r.Metadata?.['aws:cdk:path'] ?? '').split('/').slice(3, -1).join('/');
          const resolved = path.resolve(path.dirname(p), asset);
          if (!seen.has(resolved)) seen.set(resolved, name);
        }
      }
    }
  };
  walk(out);
  for (const [dir, name] of [...seen.entries()].sort((a, b) => a[1].localeCompare(b[1]))) {
    const file = ['index.js', 'index.mjs'].map((f) => path.join(dir, f)).find(existsSync);
    if (!file) continue;
    const kb = statSync(file).size / 1024;
    const isApi = /RandomStrings|Api\/Handler|Api\/Function/i.test(name);
    record(`bundle ${name}`, `${kb.toFixed(1)} KB`, isApi ? '≤ 30 KB' : '', isApi ? kb <= 30 : undefined);
  }
}

/** Cold init and in-process latency of the API handler, from the same minified bundle Lambda runs. */
async function benchApi(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
  const bundle = path.join(dir, 'index.js');
  await build({
    entryPoints: [path.join(ROOT, 'src/runtime/random-strings/handler.ts')],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    outfile: bundle,
    logLevel: 'error',
  });
  // A fresh process each time, so module load is a real cold init.
  const script = `
    const t0 = process.hrtime.bigint();
    const m = require(${JSON.stringify(bundle)});
    const initMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const event = { queryStringParameters: { len: '20', num: '100', chars: 'letters' },
      multiValueQueryStringParameters: { len: ['20'], num: ['100'], chars: ['letters'] },
      requestContext: { requestId: 'bench' }, headers: {} };
    const ctx = { awsRequestId: 'bench', functionName: 'bench' };
    (async () => {
      for (let i = 0; i < 2000; i++) await m.handler(event, ctx);
      const samples = [];
      for (let i = 0; i < 20000; i++) {
        const s = process.hrtime.bigint();
        await m.handler(event, ctx);
        samples.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      samples.sort((a, b) => a - b);
      console.log(JSON.stringify({ initMs, p50: samples[samples.length >> 1], p99: samples[Math.floor(samples.length * 0.99)] }));
    })();`;
  const inits: number[] = [];
  let last = { initMs: 0, p50: 0, p99: 0 };
  for (let i = 0; i < 5; i++) {
    const outText = execFileSync(process.execPath, ['-e', script], {
      env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_LAMBDA_LOG_LEVEL: 'ERROR' },
      encoding: 'utf8',
    });
    last = JSON.parse(outText.trim().split('\n').pop() ?? '{}');
    inits.push(last.initMs);
  }
  inits.sort((a, b) => a - b);
  const init = inits[inits.length >> 1];
  record(
    'API handler bundle',
    `${(statSync(bundle).size / 1024).toFixed(1)} KB`,
    '≤ 30 KB',
    statSync(bundle).size <= 30 * 1024,
  );
  record('API handler cold init (median of 5)', `${init.toFixed(1)} ms`, '≤ 20 ms', init <= 20);
  record('API handler p50, num=100 len=20', `${last.p50.toFixed(3)} ms`, '≤ 0.2 ms', last.p50 <= 0.2);
  record('API handler p99, num=100 len=20', `${last.p99.toFixed(3)} ms`, '');
}

async function benchCompaction(): Promise<void> {
  const { benchNormalHour } = await import('./compaction');
  const r = await benchNormalHour();
  record('compaction: Athena statements for a normal hour', String(r.statements), '≤ 2 + cleanup', r.statements <= 2);
  record(
    'compaction: return after SUCCEEDED (mocked Athena)',
    `${r.msAfterSucceeded.toFixed(1)} ms`,
    '≤ one poll interval',
    r.pollIntervalMs === undefined ? undefined : r.msAfterSucceeded <= r.pollIntervalMs,
  );
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => a !== '--');
  for (const a of asked) {
    if (!(SECTIONS as readonly string[]).includes(a)) {
      console.error(`unknown section ${JSON.stringify(a)}; expected any of: ${SECTIONS.join(', ')}`);
      process.exit(2);
    }
  }
  const run = (s: Section) => asked.length === 0 || asked.includes(s);
  console.error(
    `bench on ${process.platform} ${process.arch}, ${require('node:os').cpus().length} cores, node ${process.version}`,
  );
  if (run('synth')) await benchCommand('npm run synth', 'npm run synth', 12, 800);
  if (run('test')) await benchCommand('npm test', 'npm test', 90, 1536);
  if (run('bundles')) benchBundles();
  if (run('api')) await benchApi();
  if (run('compaction')) await benchCompaction();

  const width = Math.max(...rows.map((r) => r.what.length));
  console.log(`\n${'measure'.padEnd(width)}  ${'value'.padStart(12)}  target`);
  for (const r of rows) {
    const mark = r.ok === undefined ? ' ' : r.ok ? '✓' : '✗';
    console.log(`${r.what.padEnd(width)}  ${r.value.padStart(12)}  ${r.target} ${mark}`);
  }
  mkdirSync(path.join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench-results', 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
