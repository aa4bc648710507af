#!/usr/bin/env node
// Runs before `npm test`: the integration tier needs a JDK for DynamoDB Local, the AWS CLI v2 and
// Chromium; they are installed from Debian's packages when missing and we are root (as in CI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

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
// DynamoDB Local starts through a one-file Java launcher that binds it to 127.0.0.1: `java` compiles it, so the JDK is needed.
const hasJdk = () => has('java', ['-version']) && /^jdk\.compiler@/m.test(spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout ?? '');
if (!hasJdk() && !aptInstall(['openjdk-17-jdk-headless'])) missing.push('a Java 17+ JDK (for DynamoDB Local): sudo apt-get install -y openjdk-17-jdk-headless');
// The test that compares `tandem executions list` with the AWS CLI runs Debian's v2 at this path (another `aws` on PATH may be v1).
if (!existsSync('/usr/bin/aws') && !aptInstall(['awscli'])) missing.push('the AWS CLI v2 at /usr/bin/aws: sudo apt-get install -y awscli');
if (!has('chromium') && !aptInstall(['chromium'])) missing.push('Chromium (for the browser tests): sudo apt-get install -y chromium');
if (missing.length) {
  console.error(`The tests need:\n  ${missing.join('\n  ')}`);
  process.exit(3);
}
