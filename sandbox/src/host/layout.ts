import type { SandboxConfig } from './api.js';
import { avatar, h, icon, ICONS } from './dom.js';

export interface ShellTab {
  label: string;
  sublabel?: string;
  href: string;
  active: boolean;
}

function railLink(label: string, paths: readonly string[], href: string, active = false): HTMLElement {
  return h(
    'a',
    {
      class: `rail-link${active ? ' active' : ''}`,
      href,
      'aria-label': label,
      title: label,
      ...(active ? { 'aria-current': 'page' } : {}),
    },
    icon([...paths], 20),
  );
}

const WORKSPACE_PANEL_ID = 'workspace-panel';

/**
 * Arrow keys, Home and End move focus along the tabs; Enter or Space opens the focused one. Opening
 * loads another page, so focus alone does not switch tabs (manual activation).
 */
function onTabKey(e: KeyboardEvent, tabs: HTMLElement[]): void {
  const current = tabs.findIndex((t) => t === document.activeElement);
  if (current < 0) return;
  const last = tabs.length - 1;
  const moves: Record<string, number> = {
    ArrowLeft: current === 0 ? last : current - 1,
    ArrowRight: current === last ? 0 : current + 1,
    Home: 0,
    End: last,
  };
  const target = moves[e.key];
  if (target !== undefined) {
    e.preventDefault();
    for (const [i, t] of tabs.entries()) t.tabIndex = i === target ? 0 : -1;
    tabs[target]?.focus();
  } else if (e.key === ' ') {
    // A link answers Enter by itself but not Space, which a tab must.
    e.preventDefault();
    tabs[current]?.click();
  }
}

/** The agent workspace chrome: product rail, tab bar with search and the signed-in agent. */
export function renderShell(config: SandboxConfig, tabs: ShellTab[], content: HTMLElement, viewsActive: boolean): HTMLElement {
  const rail = h(
    'nav',
    { class: 'rail', 'aria-label': 'Product' },
    h('a', { class: 'rail-logo', href: '/sandbox/', 'aria-label': 'Helpdesk sandbox home' }, h('span', {}, 'hd')),
    railLink('Home', ICONS.home, '/sandbox/'),
    railLink('Views', ICONS.views, '/sandbox/', viewsActive),
    railLink('Customers', ICONS.customers, '/sandbox/'),
    railLink('Reporting', ICONS.reporting, '/sandbox/'),
    h('div', { class: 'rail-spacer' }),
    railLink('Admin Center', ICONS.settings, '/sandbox/'),
  );
  const activeIndex = Math.max(
    0,
    tabs.findIndex((t) => t.active),
  );
  const tabId = (i: number) => `workspace-tab-${i}`;
  const tabLinks = tabs.map((t, i) =>
    h(
      'a',
      {
        class: `tab${t.active ? ' active' : ''}`,
        href: t.href,
        id: tabId(i),
        role: 'tab',
        'aria-selected': String(t.active),
        'aria-controls': WORKSPACE_PANEL_ID,
        // One tab stop for the whole bar; the arrow keys reach the other tabs (roving tabindex).
        tabindex: i === activeIndex ? 0 : -1,
      },
      h('span', { class: 'tab-label' }, t.label),
      t.sublabel ? h('span', { class: 'tab-sub' }, t.sublabel) : null,
    ),
  );
  const tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Open tabs' }, ...tabLinks);
  tabList.addEventListener('keydown', (e) => onTabKey(e, tabLinks));
  content.id = WORKSPACE_PANEL_ID;
  content.setAttribute('role', 'tabpanel');
  content.setAttribute('aria-labelledby', tabId(activeIndex));
  // "Add" opens a new tab rather than being one, so it sits beside the tablist, not in it.
  const tabBar = h(
    'div',
    { class: 'tab-bar' },
    tabList,
    h('button', { class: 'tab-add', type: 'button', 'aria-label': 'Add' }, icon([...ICONS.plus], 14), h('span', {}, 'Add')),
  );
  const topbar = h(
    'header',
    { class: 'topbar' },
    tabBar,
    h(
      'div',
      { class: 'topbar-tools' },
      h(
        'label',
        { class: 'search' },
        icon([...ICONS.search], 14),
        h('input', { type: 'search', placeholder: 'Search', 'aria-label': 'Search' }),
      ),
      h('span', { class: 'sandbox-badge', title: `Local helpdesk sandbox (${config.subdomain})` }, 'Sandbox'),
      h('button', { class: 'icon-button', type: 'button', 'aria-label': 'Notifications' }, icon([...ICONS.bell], 18)),
      h(
        'span',
        { class: 'agent', title: `${config.agent.name} (${config.agent.email})` },
        avatar(config.agent.name, config.agent.id, 'sm'),
      ),
    ),
  );
  return h('div', { class: 'shell' }, rail, h('div', { class: 'workspace' }, topbar, content));
}

export function statusBadge(status: string): HTMLElement {
  return h(
    'span',
    { class: `status status-${status}`, title: status },
    status === 'hold' ? 'On-hold' : status[0]?.toUpperCase() + status.slice(1),
  );
}
