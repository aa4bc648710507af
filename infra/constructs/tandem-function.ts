import { join } from 'node:path';
import { RemovalPolicy, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../functions/catalog.ts';
import { REPO_ROOT } from '../paths.ts';
import { bundlingFor } from './bundling.ts';

/** The newest Node.js runtime aws-cdk-lib offers (checked by a test against the Runtime class). */
export const NODE_RUNTIME = Runtime.NODEJS_24_X;

/**
 * Something a handler is given: the permissions it needs and the names it finds them by
 * (environment variables). Data store, mailer, report archive, signing key and survey API
 * each hand out bindings; a function is bound to exactly what its catalog entry asks for.
 */
export interface FunctionBinding {
  readonly description: string;
  bind(target: TandemFunction): void;
}

export interface TandemFunctionProps {
  readonly spec: FunctionSpec;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  /** Extra Lambda props that only this function needs (e.g. an asynchronous-invocation dead-letter queue). */
  readonly deadLetterQueue?: IQueue;
}

/**
 * One Tandem handler with the house defaults baked in: esbuild bundle (ESM, minified, source
 * maps, SDK bundled), arm64, the newest Node runtime, a log group of its own with retention,
 * JSON logs, X-Ray tracing, and a role that starts empty: only its log group, X-Ray and the
 * bindings it is given.
 */
export class TandemFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Every permission the bindings grant lives in this one policy (X-Ray's `*` stays alone in the role's default policy). */
  readonly accessPolicy: iam.Policy;
  readonly bindings: string[] = [];

  constructor(scope: Construct, id: string, props: TandemFunctionProps) {
    super(scope, id);
    this.spec = props.spec;

    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Tandem ${props.spec.name}: ${props.spec.description}`.slice(0, 1000),
    });
    this.accessPolicy = new iam.Policy(this, 'Access', {
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    this.accessPolicy.attachToRole(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: join(REPO_ROOT, props.spec.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: NODE_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      description: props.spec.description.slice(0, 256),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      bundling: bundlingFor(props.spec),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'tandem',
      },
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue, retryAttempts: 2 } : {}),
    });
    // The policy must exist before the function first runs.
    this.function.node.addDependency(this.accessPolicy);
  }

  get name(): string {
    return this.spec.name;
  }

  /** Grants a permission through this function's access policy. */
  grant(...statements: iam.PolicyStatement[]): void {
    this.accessPolicy.addStatements(...statements);
  }

  setEnvironment(name: string, value: string): void {
    this.function.addEnvironment(name, value);
  }

  bind(...bindings: FunctionBinding[]): this {
    for (const binding of bindings) {
      binding.bind(this);
      this.bindings.push(binding.description);
    }
    return this;
  }
}
