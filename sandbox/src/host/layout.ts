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
    { class: `rail-link${active ? ' active' : ''}`, href, 'aria-label': label, title: label, ...(active ? { 'aria-current': 'page' } : {}) },
    icon([...paths], 20),
  );
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
  const tabBar = h(
    'div',
    { class: 'tabs', role: 'tablist', 'aria-label': 'Open tabs' },
    ...tabs.map((t) =>
      h(
        'a',
        { class: `tab${t.active ? ' active' : ''}`, href: t.href, role: 'tab', 'aria-selected': String(t.active) },
        h('span', { class: 'tab-label' }, t.label),
        t.sublabel ? h('span', { class: 'tab-sub' }, t.sublabel) : null,
      ),
    ),
    h('button', { class: 'tab-add', type: 'button', 'aria-label': 'Add' }, icon([...ICONS.plus], 14), h('span', {}, 'Add')),
  );
  const topbar = h(
    'header',
    { class: 'topbar' },
    tabBar,
    h(
      'div',
      { class: 'topbar-tools' },
      h('label', { class: 'search' }, icon([...ICONS.search], 14), h('input', { type: 'search', placeholder: 'Search', 'aria-label': 'Search' })),
      h('span', { class: 'sandbox-badge', title: `Local helpdesk sandbox (${config.subdomain})` }, 'Sandbox'),
      h('button', { class: 'icon-button', type: 'button', 'aria-label': 'Notifications' }, icon([...ICONS.bell], 18)),
      h('span', { class: 'agent', title: `${config.agent.name} (${config.agent.email})` }, avatar(config.agent.name, config.agent.id, 'sm')),
    ),
  );
  return h('div', { class: 'shell' }, rail, h('div', { class: 'workspace' }, topbar, content));
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `status status-${status}`, title: status }, status === 'hold' ? 'On-hold' : status[0]?.toUpperCase() + status.slice(1));
}
