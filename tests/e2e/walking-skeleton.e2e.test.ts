import { describe, expect, it } from 'vitest';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { agentStartsVideo, customerJoins, framesRiseOverOneSecond } from '../support/journey.js';
import { productAndBrowser } from '../support/suite.js';

const suite = productAndBrowser();

describe('walking skeleton: Start video in a ticket → customer joins by link → both see each other', () => {
  it('shows each side the other one’s live video', async () => {
    const agent = await newAgentContext(suite.browser, suite.product.url);
    const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
    try {
      const { console: specialist, inviteUrl } = await agentStartsVideo(agent);
      expect(inviteUrl).toMatch(new RegExp(`^${suite.product.url}/join/[A-Za-z0-9_-]{22,}$`));

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
