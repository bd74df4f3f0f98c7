import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { PHONE_VIEWPORT, launchBrowser, newAgentContext } from '../support/browser.js';
import { agentStartsVideo } from '../support/journey.js';
import { startProduct, type RunningProduct } from '../support/product.js';

/**
 * Issue 19: nothing about the customer is stored before they consent. The database (every row of
 * every table) and the data folder (every file name) are compared before the link is opened and
 * after the customer read the consent screen and the policy page.
 */

const SLOW_MS = 45_000;

let product: RunningProduct;
let browser: Browser;
let policySite: Server;
let policyUrl: string;
let agent: BrowserContext;

beforeAll(async () => {
  // The company's policy page (no internet here).
  policySite = createServer((_req, res) =>
    res.writeHead(200, { 'Content-Type': 'text/html' }).end('<title>Privacy policy</title><h1>Privacy policy</h1>'),
  );
  await new Promise<void>((resolve) => policySite.listen(0, '127.0.0.1', resolve));
  policyUrl = `http://127.0.0.1:${(policySite.address() as AddressInfo).port}/privacy`;
  product = await startProduct({ POLICY_URL: policyUrl, POLICY_VERSION: '2026-03' });
  browser = await launchBrowser();
  agent = await newAgentContext(browser, product.url);
  agent.setDefaultTimeout(SLOW_MS);
});

afterAll(async () => {
  await browser?.close();
  await product?.close();
  await new Promise((resolve) => policySite?.close(resolve));
});

/**
 * Every row of every table, as JSON lines, except what the agent's side writes meanwhile (its app
 * sessions, its specialist seat, the call-timing row before a customer joined): the console keeps
 * connecting while the customer reads.
 */
function customerRows(): string[] {
  return databaseRows().filter(
    (r) =>
      !r.startsWith('agent_sessions ') &&
      !(r.startsWith('participant_tokens ') && r.includes('"role":"specialist"')) &&
      !(r.startsWith('writeback_calls ') && r.includes('"customer_joined_at":null')),
  );
}

function databaseRows(): string[] {
  const db = new Database(join(product.dataDir, 'relay.sqlite'), { readonly: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map(
      (t) => t.name,
    );
    return tables.flatMap((table) =>
      (db.prepare(`SELECT * FROM "${table}"`).all() as unknown[]).map((row) => `${table} ${JSON.stringify(row)}`),
    );
  } finally {
    db.close();
  }
}

/** File names under the data folder; SQLite's own journal files change with every read. */
function dataFiles(dir = product.dataDir): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && !/relay\.sqlite-(wal|shm)$|sandbox\.sqlite/.test(e.name))
    .map((e) => relative(product.dataDir, join(e.parentPath, e.name)))
    .sort();
}

describe('privacy before consent', () => {
  it('opening the link and reading the policy stores nothing; accepting stores the consent with version, language and the text shown', async () => {
    const { inviteUrl } = await agentStartsVideo(agent);
    const rowsBefore = customerRows();
    const filesBefore = dataFiles();

    const customer = await browser.newContext({ viewport: PHONE_VIEWPORT, locale: 'de-DE', isMobile: true, hasTouch: true });
    customer.setDefaultTimeout(SLOW_MS);
    const page = await customer.newPage();
    await page.goto(inviteUrl);
    // The consent screen names the policy version and links the policy.
    const link = page.getByRole('link', { name: /Datenschutzerklärung lesen \(Version 2026-03\)/ });
    expect(await link.getAttribute('href')).toBe(policyUrl);
    const [policy] = await Promise.all([customer.waitForEvent('page'), link.click()]);
    await policy.getByRole('heading', { name: 'Privacy policy' }).waitFor();
    await page.reload();
    await link.waitFor();

    expect(customerRows()).toEqual(rowsBefore);
    expect(dataFiles()).toEqual(filesBefore);

    // The comparison can see a change: accepting writes the consent record.
    const boxLabel = await page.getByRole('checkbox').evaluate((box: HTMLInputElement) => box.labels?.[0]?.textContent ?? '');
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Weiter zum Anruf' }).click();
    await expect
      .poll(() => databaseRows().filter((r) => r.startsWith('journey_consents ')), { timeout: SLOW_MS })
      .toEqual([expect.stringMatching(/"policy_version":"2026-03","locale":"de"/)]);
    // With the words the customer read, in German, naming the policy's version and address.
    const [consent] = databaseRows().filter((r) => r.startsWith('journey_consents '));
    const text = (JSON.parse(consent!.slice('journey_consents '.length)) as { consent_text: string }).consent_text;
    expect(text).toContain(`Datenschutzerklärung lesen (Version 2026-03): ${policyUrl}`);
    expect(boxLabel).not.toBe('');
    expect(text).toContain(boxLabel);
    await customer.close();
  });
});
