import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // AssemblyScript (packages/*/assembly) is type-checked by its own compiler: its i32/f64 types are not TypeScript's.
  { ignores: ['node_modules/', 'cdk.out/', '.tandem/', 'coverage/', 'docs/', 'packages/*/assembly/'] },
  js.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // TypeScript: the type-checked rules, with the project's tsconfig found through the project service.
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // A promise nobody awaits loses its errors; a promise where a value is expected is always truthy;
      // a switch over a union that misses a member silently does nothing for it.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
    },
  },
  {
    // Tests read JSON (the CLI's --json output, CloudFormation templates, SES's captured emails) and check
    // its shape with expect(); typing every such read would add casts, not safety. Test doubles implement
    // async ports with bodies that need no await.
    files: ['test/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Plain JavaScript (the CLI launcher, scripts, this file): no types to check against.
    files: ['**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // Domain code is pure: it must never reach for the AWS SDK or the filesystem.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*', 'node:fs', 'node:fs/promises', '../adapters/*', '../../adapters/*'],
              message: 'domain/ is pure: talk to the outside world through adapters/.',
            },
          ],
        },
      ],
    },
  },
  {
    // Use cases reach AWS only through the ports in services/ports.ts, implemented in adapters/.
    files: ['services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@aws-sdk/*', 'aws-cdk-lib', 'aws-cdk-lib/*'], message: 'services/ talk to the outside world through ports.' }] },
      ],
    },
  },
);
