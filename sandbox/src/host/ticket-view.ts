import { AGENT_LOCALES, agentLocaleOverride } from './agent-locale.js';
import { addComment, loadComments, loadTicket, type SandboxConfig, type Ticket, type User } from './api.js';
import { commentItem } from './conversation.js';
import { avatar, h, icon, ICONS, relativeTime } from './dom.js';
import { renderShell, statusBadge } from './layout.js';
import { showToast } from './ui/toast.js';
import { openAppModal } from './ui/modal.js';
import { frameName, ZafHost } from './zaf/host.js';

const APP_NAME = 'Live Assist';
const APP_VERSION = '0.1.0';
const POLL_MS = 4000;

function zafUser(u: User | undefined) {
  return u && { id: u.id, name: u.name, email: u.email, locale: u.locale, role: u.role, avatarUrl: null };
}

function localTime(timeZone: string | undefined): string {
  if (!timeZone) return '-';
  try {
    return `${new Date().toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' })} (${timeZone})`;
  } catch {
    return timeZone;
  }
}

function field(label: string, value: Node | string): HTMLElement {
  return h('div', { class: 'field' }, h('div', { class: 'field-label' }, label), h('div', { class: 'field-value' }, value));
}

function properties(t: Ticket, requester: User | undefined, assignee: User | undefined): HTMLElement {
  const cap = (s: string | null) => (s ? s[0]?.toUpperCase() + s.slice(1) : '-');
  return h(
    'aside',
    { class: 'props', 'aria-label': 'Ticket properties' },
    field('Requester', requester ? h('span', { class: 'person' }, avatar(requester.name, requester.id, 'sm'), requester.name) : '-'),
    field('Assignee', assignee ? h('span', { class: 'person' }, avatar(assignee.name, assignee.id, 'sm'), assignee.name) : 'Unassigned'),
    field('Followers', '-'),
    field('Tags', h('span', { class: 'tags' }, ...t.tags.map((tag) => h('span', { class: 'tag' }, tag)))),
    h('div', { class: 'field-row' }, field('Type', cap(t.type)), field('Priority', cap(t.priority))),
    field('Status', h('span', { class: 'status-line' }, statusBadge(t.status), cap(t.status === 'hold' ? 'on-hold' : t.status))),
    requester
      ? h(
          'section',
          { class: 'customer-card', 'aria-label': 'Customer context' },
          h(
            'div',
            { class: 'customer-head' },
            avatar(requester.name, requester.id),
            h('div', {}, h('strong', {}, requester.name), h('div', { class: 'muted' }, requester.email)),
          ),
          h(
            'dl',
            {},
            h('dt', {}, 'Language'),
            h('dd', {}, requester.locale),
            h('dt', {}, 'Local time'),
            h('dd', {}, localTime(requester.time_zone)),
          ),
        )
      : null,
  );
}

/** An app's HTML for the reply as the sandbox's plain composer shows it: paragraphs, breaks, text. */
function htmlAsReplyText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const br of doc.querySelectorAll('br')) br.replaceWith('\n');
  const blocks = [...doc.body.querySelectorAll('p, div, li')].map((b) => b.textContent?.trim() ?? '').filter(Boolean);
  return blocks.length > 0 ? blocks.join('\n\n') : (doc.body.textContent ?? '').trim();
}

function composer(ticketId: number, onSent: () => void): { form: HTMLElement; append(content: string, format: 'html' | 'text'): void } {
  let isPublic = true;
  const textarea = h('textarea', { 'aria-label': 'Comment', placeholder: 'Write a public reply…', rows: 3 });
  const publicTab = h('button', { type: 'button', class: 'composer-tab active', 'aria-pressed': 'true' }, 'Public reply');
  const internalTab = h('button', { type: 'button', class: 'composer-tab', 'aria-pressed': 'false' }, 'Internal note');
  const form = h('form', { class: 'composer' });
  const select = (pub: boolean) => {
    isPublic = pub;
    form.classList.toggle('internal', !pub);
    publicTab.classList.toggle('active', pub);
    internalTab.classList.toggle('active', !pub);
    publicTab.setAttribute('aria-pressed', String(pub));
    internalTab.setAttribute('aria-pressed', String(!pub));
    textarea.placeholder = pub ? 'Write a public reply…' : 'Add an internal note (only agents can see it)…';
  };
  publicTab.addEventListener('click', () => select(true));
  internalTab.addEventListener('click', () => select(false));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Submit');
  form.append(
    h('div', { class: 'composer-tabs' }, publicTab, internalTab),
    textarea,
    h('div', { class: 'composer-footer' }, h('span', { class: 'muted' }, 'Macros'), submit),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = textarea.value.trim();
    if (!body) return;
    submit.disabled = true;
    addComment(ticketId, body, isPublic)
      .then(() => {
        textarea.value = '';
        onSent();
      })
      .catch((err: unknown) => showToast(`Could not add the comment: ${err instanceof Error ? err.message : String(err)}`, 'error'))
      .finally(() => {
        submit.disabled = false;
      });
  });
  const append = (content: string, format: 'html' | 'text') => {
    // Appended goes to the public reply, as in Zendesk: an app inserting a link means the customer.
    select(true);
    const text = format === 'html' ? htmlAsReplyText(content) : content;
    textarea.value = textarea.value.trim() ? `${textarea.value.trimEnd()}\n\n${text}` : text;
    textarea.dispatchEvent(new Event('input', { bubbles: true }));
  };
  return { form, append };
}

/** `?agent=<id>`: the app loads as that agent, e.g. one restricted to a group. */
function signInAs(search: string): { agentId?: number } {
  const id = Number(new URLSearchParams(search).get('agent'));
  return Number.isInteger(id) && id > 0 ? { agentId: id } : {};
}

export async function renderTicketView(config: SandboxConfig, ticketId: number): Promise<HTMLElement> {
  const { ticket, users } = await loadTicket(ticketId);
  const byId = new Map(users.map((u) => [u.id, u]));
  const requester = byId.get(ticket.requester_id);
  const assignee = ticket.assignee_id === null ? undefined : byId.get(ticket.assignee_id);

  const conversation = h('ol', { class: 'conversation' });
  // The thread scrolls on its own; a focusable region lets keyboard users scroll it too.
  const thread = h('div', { class: 'conversation-scroll', role: 'region', 'aria-label': 'Conversation', tabindex: 0 }, conversation);
  let shownIds = '';
  const refresh = async () => {
    const { comments, users: authors } = await loadComments(ticketId);
    const ids = comments.map((c) => c.id).join(',');
    if (ids === shownIds) return;
    const atBottom = thread.scrollHeight - thread.scrollTop - thread.clientHeight < 40;
    shownIds = ids;
    const people = new Map([...byId, ...authors.map((u) => [u.id, u] as const)]);
    conversation.replaceChildren(...comments.map((c) => commentItem(c, people.get(c.author_id))));
    const first = conversation.dataset.initialised !== 'true';
    conversation.dataset.initialised = 'true';
    // On first render the list is not laid out yet; wait a frame so the newest comment is in view.
    if (first) requestAnimationFrame(() => (thread.scrollTop = thread.scrollHeight));
    else if (atBottom) thread.scrollTop = thread.scrollHeight;
  };
  await refresh();
  // Notes written by the relay (call summaries) appear without reloading, as in the agent workspace.
  setInterval(() => {
    if (document.visibilityState === 'visible') refresh().catch(() => undefined);
  }, POLL_MS);

  const header = h(
    'div',
    { class: 'ticket-header' },
    h(
      'div',
      { class: 'breadcrumbs' },
      requester ? h('span', {}, requester.name) : null,
      icon([...ICONS.chevron], 12),
      statusBadge(ticket.status),
      h('span', {}, `Ticket #${ticket.id}`),
    ),
    h('h1', {}, ticket.subject),
    h(
      'div',
      { class: 'muted ticket-meta' },
      `Via ${ticket.via.channel === 'web' ? 'web form' : 'messaging'} · Created ${relativeTime(ticket.created_at)} · Updated ${relativeTime(ticket.updated_at)}`,
    ),
  );

  const sidebarGuid = crypto.randomUUID();
  const appFrame = h('iframe', {
    name: frameName(sidebarGuid),
    class: 'app-frame',
    title: APP_NAME,
  });
  const apps = h(
    'aside',
    { class: 'apps-panel', 'aria-label': 'Apps' },
    h('div', { class: 'apps-header' }, icon([...ICONS.apps], 14), h('span', {}, 'Apps')),
    h(
      'section',
      { class: 'app-card', 'aria-label': APP_NAME },
      h(
        'header',
        { class: 'app-card-header' },
        h('span', { class: 'app-mark', 'aria-hidden': 'true' }, icon([...ICONS.video], 14)),
        h('h2', {}, APP_NAME),
      ),
      appFrame,
    ),
  );

  const reply = composer(ticketId, () => void refresh());
  const main = h('section', { class: 'ticket-main' }, header, thread, reply.form);
  const layout = h('div', { class: 'ticket-layout' }, properties(ticket, requester, assignee), main, apps);
  const shell = renderShell(
    config,
    [
      { label: 'Views', href: '/sandbox/', active: false },
      { label: ticket.subject, sublabel: `#${ticket.id}`, href: `/sandbox/tickets/${ticket.id}`, active: true },
    ],
    layout,
    false,
  );

  const override = agentLocaleOverride(window.location.search);
  if (override && 'unknown' in override) {
    showToast(`Unknown agent locale "${override.unknown}" ignored; known: ${AGENT_LOCALES.join(', ')}.`, 'alert', 10_000);
  }
  const agentLocale = override && 'locale' in override ? override.locale : config.agent.locale;

  const host = new ZafHost({
    config,
    ticketId,
    ...signInAs(window.location.search),
    appName: APP_NAME,
    appVersion: APP_VERSION,
    data: () => ({
      ticket: {
        id: ticket.id,
        subject: ticket.subject,
        description: ticket.description,
        status: ticket.status,
        priority: ticket.priority,
        type: ticket.type,
        tags: ticket.tags,
        via: { channel: ticket.via.channel },
        createdAt: ticket.created_at,
        updatedAt: ticket.updated_at,
        requester: zafUser(requester),
        assignee: { user: zafUser(assignee) ?? null, group: null },
      },
      currentUser: { ...zafUser(config.agent), locale: agentLocale, timeZone: { ianaName: config.agent.time_zone } },
      currentAccount: { subdomain: config.subdomain, planName: 'sandbox' },
    }),
    notify: (message, kind, durationMs) => showToast(message, kind, durationMs),
    openModal: (size, name, onCloseClick) => openAppModal(APP_NAME, size, name, onCloseClick),
    onError: (message) => showToast(message, 'error', 0),
    appendToReply: (content, format) => reply.append(content, format),
  });
  host.mount(appFrame, 'ticket_sidebar', undefined, undefined, sidebarGuid);
  return shell;
}
