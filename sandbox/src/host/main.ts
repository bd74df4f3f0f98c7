import './styles.css';
import { loadConfig } from './api.js';
import { h } from './dom.js';
import { renderTicketList } from './ticket-list.js';
import { renderTicketView } from './ticket-view.js';

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) return;
  try {
    const config = await loadConfig();
    const match = /^\/sandbox\/tickets\/(\d+)\/?$/.exec(window.location.pathname);
    const view = match ? await renderTicketView(config, Number(match[1])) : await renderTicketList(config);
    document.title = match ? `${view.querySelector('h1')?.textContent ?? 'Ticket'} – Helpdesk sandbox` : 'Tickets – Helpdesk sandbox';
    root.replaceChildren(view);
  } catch (e) {
    root.replaceChildren(
      h(
        'div',
        { class: 'page-error', role: 'alert' },
        h('h1', {}, 'The helpdesk sandbox could not load this page'),
        h('p', {}, e instanceof Error ? e.message : String(e)),
        h('a', { href: '/sandbox/' }, 'Back to tickets'),
      ),
    );
  }
}

void boot();
