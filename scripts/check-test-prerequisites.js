#!/usr/bin/env node
// Runs before `npm test`: the integration tier needs Java for DynamoDB Local; the AWS CLI and
// Chromium are installed from Debian's packages when missing and we are root (as in CI).
import { spawnSync } from 'node:child_process';

const has = (command, args = ['--version']) => !spawnSync(command, args, { stdio: 'ignore' }).error;
const isRoot = process.getuid?.() === 0;
const aptInstall = (packages) => {
  if (!isRoot || !has('apt-get', ['--version'])) return false;
  console.log(`installing ${packages.join(' ')} with apt-get…`);
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  return (
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0
  );
};

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 11)) {
  console.error(`The tests need Node.js 20.11 or newer; this is ${process.version}.`);
  process.exit(3);
}
const missing = [];
if (!has('java', ['-version']) && !aptInstall(['openjdk-17-jre-headless']))
  missing.push('Java 17+ (for DynamoDB Local): sudo apt-get install -y openjdk-17-jre-headless');
if (!has('aws') && !aptInstall(['awscli']))
  console.warn('The AWS CLI is missing: the test that compares it with the SDK will be skipped (sudo apt-get install -y awscli).');
if (!has('chromium') && !aptInstall(['chromium'])) missing.push('Chromium (for the browser tests): sudo apt-get install -y chromium');
if (missing.length) {
  console.error(`The tests need:\n  ${missing.join('\n  ')}`);
  process.exit(3);
}
