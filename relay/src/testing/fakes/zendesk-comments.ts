/** Comments as the fake Zendesk (zendesk.ts) stores and lists them. */

export interface FakeComment {
  id: number;
  html_body: string;
  body: string;
  plain_body: string;
  public: boolean;
  author_id: number | null;
  /** ISO time on the account's clock, to the second like Zendesk's. */
  created_at: string;
  attachments: { file_name: string; content_type: string; size: number }[];
}

/**
 * Zendesk's List Comments: offset pages (`page`, `per_page`) unless page[size] asks for cursor
 * pages (`meta.has_more`, `meta.after_cursor`, `links.next`); page[size] above 100 is a 400.
 */
export function commentsPage(all: FakeComment[], url: URL, baseUrl: string, cap: number): { status: number; body: unknown } {
  const q = url.searchParams;
  const order = q.get('sort_order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') return { status: 400, body: { error: 'InvalidParameters' } };
  const sorted = order === 'desc' ? [...all].reverse() : all;
  const sizeParam = q.get('page[size]');
  if (sizeParam === null && !q.has('page[after]')) {
    const perPage = Math.min(Number(q.get('per_page') ?? '100'), cap);
    const page = Number(q.get('page') ?? '1');
    const more = page * perPage < sorted.length;
    const next = new URLSearchParams({ page: String(page + 1), per_page: String(perPage), sort_order: order });
    return {
      status: 200,
      body: {
        comments: sorted.slice((page - 1) * perPage, page * perPage),
        next_page: more ? `${baseUrl}${url.pathname}?${next}` : null,
        count: all.length,
      },
    };
  }
  const size = Number(sizeParam ?? '100');
  if (!Number.isInteger(size) || size < 1 || size > 100) return { status: 400, body: { error: 'InvalidPaginationParameter' } };
  const after = q.get('page[after]');
  const afterId = after === null ? null : Number(Buffer.from(after, 'base64url').toString('utf8').replace(/^c/, ''));
  if (afterId !== null && !Number.isSafeInteger(afterId)) return { status: 400, body: { error: 'InvalidPaginationParameter' } };
  const start = afterId === null ? 0 : sorted.findIndex((c) => c.id === afterId) + 1;
  if (afterId !== null && start === 0) return { status: 400, body: { error: 'InvalidPaginationParameter' } };
  const rows = sorted.slice(start, start + Math.min(size, cap));
  const hasMore = start + rows.length < sorted.length;
  const cursor = (c: FakeComment | undefined) => (c ? Buffer.from(`c${c.id}`, 'utf8').toString('base64url') : null);
  const afterCursor = cursor(rows.at(-1));
  const next = new URLSearchParams({ 'page[size]': String(size), 'page[after]': afterCursor ?? '', sort_order: order });
  return {
    status: 200,
    body: {
      comments: rows,
      meta: { has_more: hasMore, after_cursor: afterCursor, before_cursor: cursor(rows[0]) },
      links: { next: hasMore ? `${baseUrl}${url.pathname}?${next}` : null, prev: null },
    },
  };
}

/** A comment's plain text, roughly as Zendesk derives `body` from `html_body`. */
export const stripTags = (html: string): string =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/\n{2,}/g, '\n')
    .trim();
