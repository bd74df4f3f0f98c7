import { ESLint, type Linter } from 'eslint';
import globals from 'globals';

/**
 * FDK's lint set on the app's own scripts (not the vendored QR library nor the generated
 * messages): what `fdk validate` reports as errors, plus no raw fetch or XHR from the frontend
 * (every call to the relay goes through a request template).
 */
export const FDK_RULES: Linter.RulesRecord = {
  complexity: ['error', 7],
  'max-nested-callbacks': ['error', 4],
  'no-eval': 'error',
  'no-alert': 'error',
  'no-debugger': 'error',
  'no-unreachable': 'error',
  'no-unused-vars': ['error', { caughtErrors: 'none' }],
  'no-restricted-globals': [
    'error',
    { name: 'fetch', message: 'Call the relay through a request template (client.request.invokeTemplate).' },
    { name: 'XMLHttpRequest', message: 'Call the relay through a request template (client.request.invokeTemplate).' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'window', property: 'fetch', message: 'Call the relay through a request template.' },
    { object: 'window', property: 'XMLHttpRequest', message: 'Call the relay through a request template.' },
  ],
};

/** Scripts the check lints: the app's own, by path from the app folder. */
export const isOwnScript = (path: string) =>
  path.startsWith('app/scripts/') && path.endsWith('.js') && !path.includes('/vendor/') && path !== 'app/scripts/messages.js';

export async function lintScripts(files: Record<string, Buffer>): Promise<string[]> {
  const cwd = process.cwd();
  const eslint = new ESLint({
    cwd,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.js'],
        languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.browser } },
        rules: FDK_RULES,
      },
    ],
  });
  const errors: string[] = [];
  for (const [path, text] of Object.entries(files).filter(([p]) => isOwnScript(p))) {
    const [result] = await eslint.lintText(text.toString('utf8'), { filePath: `${cwd}/freshdesk-app/${path}` });
    for (const m of result?.messages ?? []) errors.push(`${path}:${m.line}:${m.column} ${m.message} (${m.ruleId ?? 'parse'})`);
  }
  return errors;
}
