import 'reflect-metadata';
import { startGateway } from './bootstrap/start-gateway';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

startGateway(process.env, log).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
