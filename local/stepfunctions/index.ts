export {
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  type LocalStateMachineSpec,
  type TaskInvoker,
  type TaskInvocationMeta,
  type StartExecutionRequest,
  type ExecutionRequest,
  type StateMachineRequest,
  type ListExecutionsRequest,
  type GetExecutionHistoryRequest,
  type StopExecutionRequest,
  type RedriveExecutionRequest,
  type ExecutionStatusChange,
} from './engine.ts';
export { startStepFunctionsServer, type StepFunctionsServer, type StepFunctionsServerOptions } from './server.ts';
export { LambdaFunctionError } from './tasks.ts';
export * from './errors.ts';
