import { choiceOption, parseCommandLine, requiredOption, usageText } from '../lib/args';
import { athenaClient } from '../lib/aws';
import { runCli } from '../lib/cli';
import { readDeployedStage, requireOutput } from '../lib/stage-outputs';
import { FORMATS, formatCsv, formatJson, formatTable, provisionalNote } from './format';
import { formatMonth, isCurrentMonth, parseMonth } from './month';
import { usageReport } from './report';

const OPTIONS = {
  env: { type: 'string', description: 'stage to report on (reads its deployed stack outputs)' },
  month: { type: 'string', description: 'calendar month in UTC, YYYY-MM' },
  format: { type: 'string', description: `output format: ${FORMATS.join(', ')} (default table)` },
  help: { type: 'boolean', description: 'show this help' },
} as const;
const USAGE = usageText('npm run usage -- --env <stage> --month YYYY-MM [--format table|csv|json]', OPTIONS);

runCli(async () => {
  const args = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const env = requiredOption('env', args.env, 'prod');
  const now = new Date();
  const month = parseMonth(args.month, now);
  const format = choiceOption('format', args.format, FORMATS, 'table');
  const stage = await readDeployedStage(env);
  const workgroup = requireOutput(stage, 'workgroupName');
  const location = { database: requireOutput(stage, 'databaseName'), bucket: requireOutput(stage, 'lakeBucketName') };
  const report = await usageReport(athenaClient({ region: stage.config.region }), { workgroup, location, month });

  const partial = isCurrentMonth(month, now) ? ' (month not over: figures to date)' : '';
  if (format === 'table') {
    console.log(formatTable(report, `Usage ${formatMonth(month)} in ${env} (${workgroup})${partial}`));
  } else {
    console.log(format === 'csv' ? formatCsv(report).trimEnd() : formatJson(report));
    // Machine formats carry the flag per row; the hours go to stderr so the output stays parseable.
    const note = provisionalNote(report);
    if (note) console.error(note);
    if (partial) console.error(`note: ${formatMonth(month)}${partial}`);
  }
  return 0;
}, USAGE);
