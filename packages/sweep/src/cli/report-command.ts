import { writeReport } from '../report/html.js';
import { type ParsedArgs, stringFlag } from './args.js';

/** `sciml-sweep report <dir> [--x] [--y] [--metric]`: writes report.html and returns its path. */
export async function writeReportCommand(dir: string, args: ParsedArgs): Promise<string> {
  const x = stringFlag(args, 'x');
  const y = stringFlag(args, 'y');
  const metric = stringFlag(args, 'metric');
  return writeReport(dir, {
    ...(x === undefined ? {} : { x }),
    ...(y === undefined ? {} : { y }),
    ...(metric === undefined ? {} : { metric }),
  });
}
