import { runPrivacyCli } from './cli.js';

runPrivacyCli(process.argv.slice(2), process.env, (line) => console.log(line)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('privacy command failed:', err);
    process.exit(1);
  },
);
