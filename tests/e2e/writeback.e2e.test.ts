import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { newAgentContext, newPhoneContext } from '../support/browser.js';
import { freezeAndSnapshot, phoneSendsPhoto } from '../support/call-screen.js';
import { appFrame, customerJoins, framesRiseOverOneSecond } from '../support/journey.js';
import { productAndBrowser } from '../support/suite.js';

/** John Carter's ticket (en-US requester): the note is written in English. */
const TICKET = 1203;
const HERE = { latitude: 42.69751, longitude: 23.32415, accuracy: 20 };

const step = (what: string) => {
  if (process.env.WRITEBACK_DEBUG) process.stderr.write(`[writeback e2e] ${new Date().toISOString()} ${what}\n`);
};

// As production runs it: on PostgreSQL (every other browser test keeps the SQLite default).
const suite = productAndBrowser({}, 'postgres');

interface Comment {
  public: boolean;
  html_body: string;
  plain_body: string;
  attachments: { file_name: string; content_type: string; size: number }[];
}

/** The ticket as any Zendesk API client reads it. */
async function comments(ticketId: number): Promise<Comment[]> {
  const res = await fetch(`${suite.product.url}/api/v2/tickets/${ticketId}/comments.json?per_page=100`, {
    headers: { Authorization: suite.product.helpdeskAuthorization },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { comments: Comment[] }).comments;
}

function labelPhoto(): Promise<Buffer> {
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600" fill="#1d4e89"/><circle cx="400" cy="300" r="160" fill="#f2a541"/></svg>',
  );
  return sharp(svg).jpeg({ quality: 85 }).toBuffer();
}

describe('write-back: a full call ends with one internal note on the ticket', () => {
  it(
    'invite sent from the sidebar, call with location, chat, photo and snapshot, one note with all of it',
    { timeout: 600_000 },
    async () => {
      const agent = await newAgentContext(suite.browser, suite.product.url);
      const customer = await newPhoneContext(suite.phoneBrowser, suite.product.url);
      await customer.grantPermissions(['geolocation']);
      await customer.setGeolocation(HERE);
      try {
        // Start video in the ticket; everything in the sidebar happens before the console modal covers it.
        step('Start video in the ticket; everything in the sidebar happens before the console modal covers it.');
        const page = await agent.newPage();
        await page.goto(`/sandbox/tickets/${TICKET}`);
        const sidebar = await appFrame(page, 'ticket_sidebar');
        await sidebar.getByRole('button', { name: 'Start video' }).click();
        const inviteField = sidebar.getByRole('textbox', { name: 'Invite link' });
        await inviteField.waitFor();
        const inviteUrl = await inviteField.inputValue();

        // Invite delivery: the link as a public comment, and as a QR code; no SMS without Twilio.
        step('Invite delivery: the link as a public comment, and as a QR code; no SMS without Twilio.');
        await sidebar.getByRole('button', { name: 'Send link to requester' }).click();
        await sidebar.getByText('Link sent to the requester as a ticket comment').waitFor();
        const invite = (await comments(TICKET)).filter((c) => c.public && c.html_body.includes(inviteUrl));
        expect(invite).toHaveLength(1);
        expect(invite[0]!.html_body).toContain('Hello John Carter,');
        await sidebar.getByRole('button', { name: 'Show QR code' }).click();
        await sidebar.getByRole('img', { name: 'QR code of the invite link' }).waitFor();
        expect(await sidebar.getByRole('button', { name: 'Send by SMS' }).count()).toBe(0);
        await sidebar.getByRole('button', { name: 'Open specialist view' }).click();
        const desk = await appFrame(page, 'modal');

        const consentFrom = Date.now() - 1000;
        const phone = await customerJoins(customer, inviteUrl, { shareLocation: true }).catch(async (err: unknown) => {
          if (process.env.WRITEBACK_DEBUG) await customer.pages()[0]?.screenshot({ path: '/tmp/writeback-phone.png' });
          throw err;
        });
        const consentTo = Date.now() + 1000;
        await framesRiseOverOneSecond(desk.getByTestId('remote-video'));

        // The sidebar shows the call live, with its duration.
        step('The sidebar shows the call live, with its duration.');
        const status = sidebar.getByTestId('customer-status');
        await expect.poll(() => status.getAttribute('data-status'), { timeout: 30_000 }).toBe('in-call');
        await expect.poll(() => status.innerText(), { timeout: 30_000 }).toMatch(/\d+:\d\d/);

        // Chat both ways, a photo from the phone.
        step('Chat both ways, a photo from the phone.');
        await phone.getByRole('button', { name: 'Chat' }).click();
        await phone.getByRole('textbox', { name: 'Message' }).fill('The display shows <E21> & blinks');
        await phone.getByRole('button', { name: 'Send' }).click();
        const deskLog = desk.getByRole('log', { name: 'Messages' });
        await deskLog.getByText('The display shows <E21> & blinks').waitFor();
        await desk.getByRole('textbox', { name: 'Message' }).fill('Please send a photo of the type plate');
        await desk.getByRole('button', { name: 'Send' }).click();
        await phone.getByRole('log', { name: 'Messages' }).getByText('Please send a photo of the type plate').waitFor();
        await phoneSendsPhoto(phone, desk, await labelPhoto(), { caption: 'Here is the plate' });

        // A snapshot of a frozen frame.
        step('A snapshot of a frozen frame.');
        await freezeAndSnapshot(desk);

        // The agent ends the session in the console and closes it; the sidebar reports the note saved.
        step('The agent ends the session in the console and closes it; the sidebar reports the note saved.');
        await desk.getByRole('button', { name: 'End session' }).click();
        await desk.getByRole('button', { name: 'End session' }).last().click();
        await desk.getByRole('button', { name: 'Close window' }).click();
        step('console closed');
        const noteStatus = sidebar.getByTestId('note-status');
        await expect.poll(() => noteStatus.getAttribute('data-state'), { timeout: 45_000 }).toBe('done');
        await expect(noteStatus.innerText()).resolves.toContain('Saved to ticket');

        const notes = (await comments(TICKET)).filter((c) => c.plain_body.includes('Live Assist ref: call-note:'));
        expect(notes).toHaveLength(1);
        const note = notes[0]!;
        expect(note.public).toBe(false);
        const html = note.html_body;
        expect(html).toContain('Live Assist video call');
        expect(html).toContain('<strong>Customer:</strong> John Carter');
        expect(html).toContain('The display shows &lt;E21&gt; &amp; blinks');
        expect(html).toContain('Please send a photo of the type plate');
        expect(html).toContain('Here is the plate');
        expect(html).toContain('42.69751, 23.32415 (accuracy ± 20 m');
        expect(html).toContain('https://www.openstreetmap.org/?mlat=42.69751&amp;mlon=23.32415');
        const consent = /Privacy policy version \S+ accepted on (.+?) UTC/.exec(html);
        const consentAt = Date.parse(`${consent?.[1] ?? ''} UTC`);
        expect(consentAt).toBeGreaterThanOrEqual(Math.floor(consentFrom / 1000) * 1000);
        expect(consentAt).toBeLessThanOrEqual(consentTo);
        const files = note.attachments.map((a) => a.file_name);
        expect(files.filter((f) => /^photo-\d+-.*\.jpg$/.test(f))).toHaveLength(1);
        expect(files.filter((f) => /^snapshot-\d+-.*\.png$/.test(f))).toHaveLength(1);
        expect(note.attachments.every((a) => a.size > 0)).toBe(true);
      } finally {
        await agent.close();
        await customer.close();
      }
    },
  );
});
