import type { Attachment, Comment, User } from './api.js';
import { avatar, formatTime, h, icon, ICONS } from './dom.js';
import { sanitizedHtml } from './sanitize.js';

function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function attachmentItem(a: Attachment): HTMLElement {
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(a.content_type);
  return h(
    'li',
    { class: 'attachment' },
    h(
      'a',
      { href: a.content_url, target: '_blank', rel: 'noopener' },
      isImage
        ? h('img', { src: a.content_url, alt: '', loading: 'lazy' })
        : h('span', { class: 'file-icon' }, icon([...ICONS.paperclip], 18)),
      h('span', { class: 'attachment-name' }, a.file_name),
      h('span', { class: 'muted' }, sizeLabel(a.size)),
    ),
  );
}

export function commentItem(c: Comment, author: User | undefined): HTMLElement {
  const name = author?.name ?? `User ${c.author_id}`;
  const isAgent = author !== undefined && author.role !== 'end-user';
  return h(
    'li',
    { class: `comment${c.public ? '' : ' internal'}`, 'data-comment-id': c.id },
    avatar(name, c.author_id),
    h(
      'div',
      { class: 'comment-main' },
      h(
        'header',
        { class: 'comment-header' },
        h('strong', {}, name),
        isAgent && c.public ? h('span', { class: 'role-tag' }, 'Agent') : null,
        c.public ? null : h('span', { class: 'internal-tag' }, icon([...ICONS.lock], 12), 'Internal note'),
        h('time', { datetime: c.created_at, title: new Date(c.created_at).toLocaleString() }, formatTime(c.created_at)),
      ),
      h('div', { class: 'comment-body' }, sanitizedHtml(c.html_body)),
      c.attachments.length > 0
        ? h('ul', { class: 'attachments', 'aria-label': 'Attachments' }, ...c.attachments.map(attachmentItem))
        : null,
    ),
  );
}
