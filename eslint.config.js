import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Import boundaries. Each is a pattern group of no-restricted-imports; a file gets every group that
// applies to it in one config object, since a later object's options replace an earlier one's.
const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**', '**/test-support/**'];
const boundary = {
  /** Fakes, harnesses and fixtures are for tests; production code must run without them. */
  testSupport: {
    regex: '(^|\\/)(testing|test-support)(\\/|$)',
    message: 'Test support (testing/, test-support/) is for tests only; it is not in the build.',
  },
  /** The sandbox is a development stand-in: only its own entry point binds it to the relay. */
  sandbox: {
    regex: '^@live-assist\\/sandbox(\\/|$)|(^|\\/)sandbox\\/src(\\/|$)',
    message: 'The relay must not depend on the sandbox; sandbox/src/server/dev-main.ts binds it for development.',
  },
  /** The customer page and the Zendesk app share code only through client-core and protocol. */
  zendeskApp: {
    regex: '^@live-assist\\/zendesk-app(\\/|$)|(^|\\/)zendesk-app(\\/|$)',
    message: 'customer-web and zendesk-app share code only through client-core or protocol.',
  },
  customerWeb: {
    regex: '^@live-assist\\/customer-web(\\/|$)|(^|\\/)customer-web(\\/|$)',
    message: 'customer-web and zendesk-app share code only through client-core or protocol.',
  },
};
const restrict = (...groups) => ({
  'no-restricted-imports': ['error', { patterns: groups }],
  // no-restricted-imports does not see import(), and a lazy import() is how a dependency slips in.
  'no-restricted-syntax': [
    'error',
    ...groups.map((g) => ({ selector: `ImportExpression[source.value=/${g.regex}/]`, message: g.message })),
  ],
});

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'freshdesk-app/app/scripts/vendor/**',
      '**/.tsbuild/**',
      'data/**',
      'artifacts/**',
      'screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['customer-web/**/*.{ts,tsx}', 'zendesk-app/**/*.{ts,tsx}', 'client-core/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  { files: ['*/src/**/*.{ts,tsx}'], ignores: TEST_FILES, rules: restrict(boundary.testSupport) },
  { files: ['relay/src/**/*.ts'], ignores: TEST_FILES, rules: restrict(boundary.testSupport, boundary.sandbox) },
  { files: ['customer-web/**/*.{ts,tsx}'], rules: restrict(boundary.zendeskApp) },
  { files: ['customer-web/src/**/*.{ts,tsx}'], ignores: TEST_FILES, rules: restrict(boundary.zendeskApp, boundary.testSupport) },
  { files: ['zendesk-app/**/*.{ts,tsx}'], rules: restrict(boundary.customerWeb) },
  { files: ['zendesk-app/src/**/*.{ts,tsx}'], ignores: TEST_FILES, rules: restrict(boundary.customerWeb, boundary.testSupport) },
);
