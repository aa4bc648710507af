import { inject } from 'vitest';
import { resetContainer } from '../../adapters/container.ts';

// Test files reach the shared local stack the way handlers do: through the standard variables.
Object.assign(process.env, inject('localStack').env, { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
resetContainer();
