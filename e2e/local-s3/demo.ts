// `npm run demo`: the app plus the local S3 endpoint, and what to paste to see a green check within a minute.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startLocalS3 } from './gateway.ts';
import { IDENTITIES } from './identities.ts';

const root = path.resolve(import.meta.dirname, '../..');
const s3 = await startLocalS3({ port: Number(process.env.DEMO_S3_PORT ?? 4569) });
const port = process.env.PORT ?? '8080';
const password = process.env.ADMIN_PASSWORD ?? 'demo';

const app = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: {
    ...process.env,
    PORT: port,
    DATA_DIR: process.env.DATA_DIR ?? path.join(root, 'data-demo'),
    ADMIN_PASSWORD: password,
    // The Amazon S3 path of the app goes to the local endpoint too: nothing here touches real AWS.
    S3_ENDPOINT_ALLOWLIST: `127.0.0.1:${s3.port}`,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_STS: s3.endpoint,
  },
});

process.stdout.write(`
  S3 destinations admin demo — nothing here talks to real AWS.

  Open http://127.0.0.1:${port} and sign in as "admin" with the password "${password}" (the one set when data-demo was first made).
  Click New connector and enter:

    Storage provider  Other S3-compatible
    Custom URL        ${s3.endpoint}
    Bucket URI        s3://local-bucket/demo/
    AWS Key           ${IDENTITIES.writer.accessKeyId}
    AWS Secret Key    ${IDENTITIES.writer.secretAccessKey}

  Then Save and Test. To see failures explained, try the AWS Key ${IDENTITIES.readOnly.accessKeyId}
  (secret ${IDENTITIES.readOnly.secretAccessKey}): it may read but not write.
  Or keep the provider Amazon S3: the demo points the app's AWS traffic at the same local endpoint.

`);

const stop = () => {
  app.kill('SIGTERM');
  void s3.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
app.on('exit', (code) => {
  void s3.close().then(() => process.exit(code ?? 0));
});
