/**
 * `npx unet-studio train|predict PROJECT.zip --out DIR`: the studio's core and engine in Node on a
 * project file exported from the page, writing back the files the page reads (USAGE says what).
 */
import { parseCommand, USAGE, UsageError } from './parseCommand';
import { runPredict, runTrain } from './runCommand';

async function main(argv: readonly string[]): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    if (command.kind === 'train') await runTrain(command, (line) => console.log(line));
    else await runPredict(command, (line) => console.log(line));
    return 0;
  } catch (error) {
    console.error(`unet-studio ${command.kind} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
