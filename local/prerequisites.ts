import { spawnSync } from 'node:child_process';

export class MissingPrerequisiteError extends Error {
  override name = 'MissingPrerequisiteError';
}

const MIN_NODE = [20, 11] as const;

/** Node 20.11+ runs everything; the local stack also needs Java 17+ for DynamoDB Local. */
export function checkPrerequisites(needs: { java: boolean }): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
    throw new MissingPrerequisiteError(`Tandem needs Node.js ${MIN_NODE.join('.')} or newer; this is ${process.version}. Install it from https://nodejs.org/.`);
  }
  if (!needs.java) return;
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) {
    throw new MissingPrerequisiteError(
      'The local stack needs Java 17 or newer for DynamoDB Local, and `java` was not found on PATH. ' +
        'Install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless; macOS: brew install openjdk@17) and try again.',
    );
  }
  const version = /version "(\d+)/.exec(`${java.stderr}${java.stdout}`)?.[1];
  if (version && Number(version) < 17 && Number(version) !== 1) {
    throw new MissingPrerequisiteError(`DynamoDB Local needs Java 17 or newer; found Java ${version}.`);
  }
  // DynamoDB Local is started through a one-file Java launcher that binds it to 127.0.0.1; `java` compiles it, which needs the JDK.
  const modules = spawnSync('java', ['--list-modules'], { encoding: 'utf8' });
  if (modules.status === 0 && !/^jdk\.compiler@/m.test(modules.stdout)) {
    throw new MissingPrerequisiteError(
      'The local stack needs a Java 17+ JDK (not only the runtime): DynamoDB Local is started through a small Java launcher that binds it to 127.0.0.1. ' +
        'Install it (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jdk-headless; macOS: brew install openjdk@17) and try again.',
    );
  }
}
