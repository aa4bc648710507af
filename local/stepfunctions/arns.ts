import { InvalidArn, InvalidName } from './errors.ts';

/** Where the local resources pretend to live. */
export interface AwsScope {
  readonly region: string;
  readonly accountId: string;
}

const STATE_MACHINE_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)$/;
const EXECUTION_ARN = /^arn:(aws[a-z-]*):states:([a-z0-9-]+):(\d{12}):execution:([^:]+):([^:]+)$/;
// AWS's rule for state machine and execution names: 1-80 characters, none of these.
// eslint-disable-next-line no-control-regex -- control characters are exactly what AWS forbids
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function stateMachineArn(scope: AwsScope, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

export function executionArn(scope: AwsScope, stateMachineName: string, executionName: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:execution:${stateMachineName}:${executionName}`;
}

export function assertStateMachineArn(arn: string): void {
  if (!STATE_MACHINE_ARN.test(arn)) throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

/** The ARN of the state machine an execution ARN belongs to. */
export function stateMachineArnOfExecution(arn: string): string {
  const match = EXECUTION_ARN.exec(arn);
  if (!match) throw new InvalidArn(`Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
  const [, partition, region, accountId, stateMachineName] = match;
  return `arn:${partition}:states:${region}:${accountId}:stateMachine:${stateMachineName}`;
}

export function assertValidName(name: string, what: 'execution' | 'state machine'): void {
  if (name.length < 1 || name.length > 80 || FORBIDDEN_NAME_CHARACTERS.test(name)) {
    throw new InvalidName(`Invalid Name: '${name}' is not a valid ${what} name`);
  }
}

/** Lambda accepts a function name or ARN; tasks are always handed a full ARN. */
export function lambdaFunctionArn(scope: AwsScope, functionNameOrArn: string): string {
  if (functionNameOrArn.startsWith('arn:')) return functionNameOrArn;
  return `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${functionNameOrArn}`;
}
