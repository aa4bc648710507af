import { Stack, type CfnElement } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** The logical id of a construct's CloudFormation resource, as cdk-nag names it in findings (`<LogicalId.Arn>`). */
export function logicalIdOf(construct: Construct): string {
  const resource = construct.node.defaultChild as CfnElement | undefined;
  if (!resource) throw new Error(`no CloudFormation resource under ${construct.node.path}`);
  return Stack.of(construct).resolve(resource.logicalId) as string;
}
