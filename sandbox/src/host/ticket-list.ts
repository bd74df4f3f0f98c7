import type { SandboxConfig, Ticket, User } from './api.js';
import { loadTickets } from './api.js';
import { avatar, h, relativeTime } from './dom.js';
import { renderShell, statusBadge } from './layout.js';

const isUnsolved = (t: Ticket) => t.status !== 'solved' && t.status !== 'closed';

function views(agentId: number): [string, (t: Ticket) => boolean][] {
  return [
    ['Your unsolved tickets', (t) => isUnsolved(t) && t.assignee_id === agentId],
    ['Unassigned tickets', (t) => isUnsolved(t) && t.assignee_id === null],
    ['All unsolved tickets', isUnsolved],
    ['Recently updated tickets', () => true],
    ['Pending tickets', (t) => t.status === 'pending'],
    ['Recently solved tickets', (t) => t.status === 'solved'],
  ];
}

function row(t: Ticket, users: Map<number, User>): HTMLElement {
  const requester = users.get(t.requester_id);
  const assignee = t.assignee_id === null ? undefined : users.get(t.assignee_id);
  const href = `/sandbox/tickets/${t.id}`;
  const tr = h(
    'tr',
    { class: 'ticket-row' },
    h('td', {}, statusBadge(t.status)),
    h('td', { class: 'col-subject' }, h('a', { href }, t.subject), h('span', { class: 'muted' }, ` #${t.id}`)),
    h('td', {}, requester ? h('span', { class: 'person' }, avatar(requester.name, requester.id, 'sm'), requester.name) : ''),
    h('td', { class: 'muted' }, relativeTime(t.created_at)),
    h(
      'td',
      {},
      t.priority ? h('span', { class: `priority priority-${t.priority}` }, t.priority[0]?.toUpperCase() + t.priority.slice(1)) : '-',
    ),
    h('td', {}, assignee?.name ?? h('span', { class: 'muted' }, 'Unassigned')),
  );
  // The whole row opens the ticket, like in the agent workspace; the link stays the accessible target.
  tr.addEventListener('click', (e) => {
    if (!(e.target instanceof HTMLAnchorElement)) window.location.href = href;
  });
  return tr;
}

export async function renderTicketList(config: SandboxConfig): Promise<HTMLElement> {
  const { tickets: listed, users, count } = await loadTickets();
  const tickets = [...listed].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
  const byId = new Map(users.map((u) => [u.id, u]));
  const viewsPanel = h(
    'aside',
    { class: 'views-panel', 'aria-label': 'Views' },
    h('h2', {}, 'Views'),
    h(
      'ul',
      {},
      ...views(config.agent.id).map(([name, matches]) =>
        h(
          'li',
          { class: name === 'Recently updated tickets' ? 'active' : '' },
          h('span', {}, name),
          h('span', { class: 'count' }, String(tickets.filter(matches).length)),
        ),
      ),
    ),
  );
  const table = h(
    'table',
    { class: 'ticket-table' },
    h(
      'thead',
      {},
      h('tr', {}, ...['Status', 'Subject', 'Requester', 'Requested', 'Priority', 'Assignee'].map((c) => h('th', { scope: 'col' }, c))),
    ),
    h('tbody', {}, ...tickets.map((t) => row(t, byId))),
  );
  const main = h(
    'main',
    { class: 'list-main' },
    h('div', { class: 'list-header' }, h('h1', {}, 'Recently updated tickets'), h('span', { class: 'muted' }, `${count} tickets`)),
    table,
  );
  return renderShell(
    config,
    [{ label: 'Views', href: '/sandbox/', active: true }],
    h('div', { class: 'list-layout' }, viewsPanel, main),
    true,
  );
}
