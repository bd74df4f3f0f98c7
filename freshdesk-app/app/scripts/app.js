import { createRelay } from './relay.js';
import { createSidebar } from './sidebar.js';
import { pickLocale, timeFormatter, translator } from './i18n.js';
import { viewOf } from './view.js';
import { render } from './render.js';

async function copyLink(t) {
  const input = document.getElementById('invite-link');
  try {
    await navigator.clipboard.writeText(input.value);
    return t('sidebar.copied');
  } catch {
    input.select();
    return t('sidebar.copyFailed');
  }
}

async function main() {
  const client = await window.app.initialized();
  const { loggedInUser } = await client.data.get('loggedInUser');
  const locale = pickLocale(loggedInUser.contact && loggedInUser.contact.language);
  const t = translator(locale);
  const time = timeFormatter(locale);
  const root = document.getElementById('live-assist');
  document.documentElement.lang = locale;
  let on = {};
  const sidebar = createSidebar({
    client,
    relay: createRelay(client),
    t,
    time,
    draw: (state) => {
      render(root, viewOf(state, t, time), t, on);
      client.instance.resize({ height: `${Math.max(160, document.body.scrollHeight)}px` });
    },
    openSocket: (url) => new WebSocket(url),
    openTab: () => window.open('', '_blank'),
    schedule: (work, ms) => setTimeout(work, ms),
    now: () => Date.now(),
  });
  on = {
    ...sidebar.actions,
    copy: async () => client.interface.trigger('showNotify', { type: 'info', message: await copyLink(t) }),
  };
  await sidebar.load();
}

main();
