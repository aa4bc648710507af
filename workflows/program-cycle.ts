import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FUNCTIONS } from '../functions/catalog.ts';

export const PROGRAM_CYCLE_STATE_MACHINE = 'tandem-program-cycle';
export const programCycleDefinitionPath = fileURLToPath(new URL('./program-cycle.asl.json', import.meta.url));

/** The definition as written, with `${...}ArnFunctionArn` placeholders. CDK deploys this text with definitionSubstitutions. */
export function programCycleDefinitionText(): string {
  return readFileSync(programCycleDefinitionPath, 'utf8');
}

/** The placeholders the definition uses, from the function catalog. */
export const definitionSubstitutionNames: string[] = FUNCTIONS.flatMap((f) => ('definitionSubstitution' in f ? [f.definitionSubstitution] : []));

/** The definition with every placeholder replaced; fails loudly on a placeholder nobody provides. */
export function substituteDefinition(text: string, substitutions: Record<string, string>): Record<string, unknown> {
  const substituted = text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = substitutions[name];
    if (value === undefined) throw new Error(`workflow definition uses \${${name}} but no value was given for it`);
    return value;
  });
  return JSON.parse(substituted) as Record<string, unknown>;
}

/** Lambda ARNs as the local stack names them. */
export function localFunctionArn(name: string, region = 'us-east-1', account = '000000000000'): string {
  return `arn:aws:lambda:${region}:${account}:function:tandem-${name}`;
}

export function localSubstitutions(region?: string, account?: string): Record<string, string> {
  return Object.fromEntries(
    FUNCTIONS.flatMap((f) => ('definitionSubstitution' in f ? [[f.definitionSubstitution, localFunctionArn(f.name, region, account)]] : [])),
  );
}
