/**
 * Step Functions API errors. `name` is the AWS error code: the server sends it as `__type`
 * and the AWS SDK raises an exception with that same `name`. Names are spelled out rather
 * than taken from the class so that minifying bundlers cannot change them.
 */
export abstract class StepFunctionsApiError extends Error {
  abstract override readonly name: string;
  readonly statusCode: number = 400;
}

export class UnknownOperationException extends StepFunctionsApiError {
  override readonly name = 'UnknownOperationException';
}
export class SerializationException extends StepFunctionsApiError {
  override readonly name = 'SerializationException';
}
export class ValidationException extends StepFunctionsApiError {
  override readonly name = 'ValidationException';
}
export class InvalidArn extends StepFunctionsApiError {
  override readonly name = 'InvalidArn';
}
export class InvalidName extends StepFunctionsApiError {
  override readonly name = 'InvalidName';
}
export class InvalidToken extends StepFunctionsApiError {
  override readonly name = 'InvalidToken';
}
export class InvalidExecutionInput extends StepFunctionsApiError {
  override readonly name = 'InvalidExecutionInput';
}
export class InvalidDefinition extends StepFunctionsApiError {
  override readonly name = 'InvalidDefinition';
}
export class ExecutionDoesNotExist extends StepFunctionsApiError {
  override readonly name = 'ExecutionDoesNotExist';
}
export class ExecutionNotRedrivable extends StepFunctionsApiError {
  override readonly name = 'ExecutionNotRedrivable';
}
export class ExecutionAlreadyExists extends StepFunctionsApiError {
  override readonly name = 'ExecutionAlreadyExists';
}
export class StateMachineDoesNotExist extends StepFunctionsApiError {
  override readonly name = 'StateMachineDoesNotExist';
}
export class StateMachineAlreadyExists extends StepFunctionsApiError {
  override readonly name = 'StateMachineAlreadyExists';
}
export class RequestEntityTooLarge extends StepFunctionsApiError {
  override readonly name = 'RequestEntityTooLarge';
  override readonly statusCode = 413;
}
