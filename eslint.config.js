// typescript-eslint's strict, type-checked rules over the sources, tests and benchmarks; Prettier
// owns the formatting (npm run lint runs both, npm test runs lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'node_modules/', 'coverage/', 'test/support/tenant/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // With noUncheckedIndexedAccess every index is `T | undefined`; `!` marks the ones the code
      // has just established (a regex's groups, a key it put in a map).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Numbers and booleans read as themselves in a message.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Matching control characters is the point of the code that escapes hostile text.
      'no-control-regex': 'off',
      // Interfaces name their functions with method syntax; what implements them are closures that
      // never use `this`, so passing one on (progress.update, fleet.runInFabric) is safe.
      '@typescript-eslint/unbound-method': 'off',
      // `const { hosts: _hosts, ...rest } = result` is how a field is left out.
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Fakes implement async interfaces without having anything to wait for.
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
