#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, after checking the Node version with a clear message.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 11)) {
  console.error(`Tandem needs Node.js 20.11 or newer; this is ${process.version}. Install a newer Node.js from https://nodejs.org/.`);
  process.exit(3);
}
// The SDK's notice that its 2027 releases need Node 22 is for maintainers, not for HR and ops at the prompt.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('../main.ts');
