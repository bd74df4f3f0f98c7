import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newAgentContext, newPhoneContext } from '../support/browser.js';
import { startProduct, type RunningProduct } from '../support/product.js';
import { agentStartsVideo, customerJoins, framesRiseOverOneSecond } from '../support/journey.js';

let product: RunningProduct;
let browser: Browser;

beforeAll(async () => {
  product = await startProduct();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await product?.close();
});

describe('walking skeleton: Start video in a ticket → customer joins by link → both see each other', () => {
  it('shows each side the other one’s live video', async () => {
    const agent = await newAgentContext(browser, product.url);
    const customer = await newPhoneContext(browser, product.url);
    try {
      const { console: specialist, inviteUrl } = await agentStartsVideo(agent);
      expect(inviteUrl).toMatch(new RegExp(`^${product.url}/join/[A-Za-z0-9_-]{22,}$`));

      const phone = await customerJoins(customer, inviteUrl);

      const agentSees = await framesRiseOverOneSecond(specialist.getByTestId('remote-video'));
      const customerSees = await framesRiseOverOneSecond(phone.getByLabel("Specialist's video"));
      expect(agentSees.after).toBeGreaterThan(agentSees.before);
      expect(customerSees.after).toBeGreaterThan(customerSees.before);
    } finally {
      await agent.close();
      await customer.close();
    }
  });
});
