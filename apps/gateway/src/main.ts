import 'reflect-metadata';
import { loadConfig } from './config/app-config';
import { bootstrapGateway } from './create-app';

bootstrapGateway(loadConfig(process.env)).then(
  ({ url }) => process.stdout.write(`USI Gateway listening on ${url}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
