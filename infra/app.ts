import { DeploymentConfigError } from './config.ts';
import { buildApp } from './build-app.ts';

try {
  buildApp().app.synth();
} catch (error) {
  if (error instanceof DeploymentConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
