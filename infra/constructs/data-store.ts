import { Stack, type RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { TABLE_DESIGN } from '../../adapters/dynamodb/table-design.ts';
import type { FunctionBinding } from './tandem-function.ts';

/**
 * The item-level actions Tandem's store uses (adapters/dynamodb/, through table-client.ts): no scans,
 * no deletes (data leaves through TTL), no table administration.
 */
export const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  'read-write': ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
} as const;
export type TableAccess = keyof typeof TABLE_ACTIONS;

/** What DynamoDB needs from a caller's identity to use a customer-managed table key on its behalf. */
const KEY_ACTIONS = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  'read-write': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
} as const;

export interface DataStoreProps {
  /** A customer-managed key; AWS-owned encryption when absent. */
  readonly encryptionKey?: kms.IKey;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/** Tandem's single DynamoDB table, created from adapters/dynamodb/table-design.ts. */
export class DataStore extends Construct {
  readonly table: dynamodb.Table;
  readonly encryptionKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: DataStoreProps) {
    super(scope, id);
    this.encryptionKey = props.encryptionKey;
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_DESIGN.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_DESIGN.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection,
      timeToLiveAttribute: TABLE_DESIGN.timeToLiveAttribute,
      removalPolicy: props.removalPolicy,
      ...(props.encryptionKey
        ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: dynamodb.TableEncryption.DEFAULT }),
    });
    for (const index of TABLE_DESIGN.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** The table's ARN and the ARN of each of its indexes (never `index/*`). */
  get resourceArns(): string[] {
    return [this.table.tableArn, ...TABLE_DESIGN.indexes.map((index) => `${this.table.tableArn}/index/${index.indexName}`)];
  }

  /** Statements for an identity (a handler's role or an operator policy) to use the table at this level. */
  statements(level: TableAccess): iam.PolicyStatement[] {
    const statements = [
      new iam.PolicyStatement({ sid: level === 'read' ? 'ReadTable' : 'ReadWriteTable', actions: [...TABLE_ACTIONS[level]], resources: this.resourceArns }),
    ];
    if (this.encryptionKey) {
      statements.push(
        new iam.PolicyStatement({
          sid: 'UseTableKeyThroughDynamoDB',
          actions: [...KEY_ACTIONS[level]],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.${Stack.of(this).urlSuffix}` } },
        }),
      );
    }
    return statements;
  }

  /** Binding: TANDEM_TABLE_NAME and item access at the level the catalog names. */
  access(level: TableAccess): FunctionBinding {
    return {
      description: `table:${level}`,
      bind: (target) => {
        target.setEnvironment('TANDEM_TABLE_NAME', this.table.tableName);
        target.grant(...this.statements(level));
      },
    };
  }
}
