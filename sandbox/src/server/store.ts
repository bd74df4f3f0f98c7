import { randomBytes } from 'node:crypto';
import type { AttachmentRow, CommentRow, Db, TicketRow, UserRow } from './db.js';
import { htmlToPlain, plainToHtml } from './text.js';

export interface Page {
  page: number;
  perPage: number;
}

export interface NewComment {
  body?: string;
  htmlBody?: string;
  isPublic: boolean;
  authorId: number;
  uploads: string[];
}

/** A request the helpdesk refuses with 422, as Zendesk does for invalid records. */
export class RecordInvalid extends Error {}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function token(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

const ATTACHMENT_COLUMNS = 'id, upload_token, comment_id, url_token, file_name, content_type, size, created_at';

/** All SQL of the sandbox helpdesk lives here. */
export class Store {
  constructor(private readonly db: Db) {}

  user(id: number): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  userByEmail(email: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE email = ? COLLATE NOCASE').get(email) as UserRow | undefined;
  }

  groupMemberships(userId: number): { id: number; user_id: number; group_id: number }[] {
    return this.db.prepare('SELECT id, user_id, group_id FROM group_memberships WHERE user_id = ? ORDER BY id').all(userId) as {
      id: number;
      user_id: number;
      group_id: number;
    }[];
  }

  users(ids: number[]): UserRow[] {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    return this.db.prepare(`SELECT * FROM users WHERE id IN (${unique.map(() => '?').join(',')}) ORDER BY id`).all(...unique) as UserRow[];
  }

  tickets({ page, perPage }: Page): { rows: TicketRow[]; count: number } {
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n;
    const rows = this.db.prepare('SELECT * FROM tickets ORDER BY id LIMIT ? OFFSET ?').all(perPage, (page - 1) * perPage) as TicketRow[];
    return { rows, count };
  }

  ticket(id: number): TicketRow | undefined {
    return this.db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined;
  }

  comments(ticketId: number, { page, perPage }: Page, order: 'asc' | 'desc'): { rows: CommentRow[]; count: number } {
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM comments WHERE ticket_id = ?').get(ticketId) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM comments WHERE ticket_id = ? ORDER BY id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`)
      .all(ticketId, perPage, (page - 1) * perPage) as CommentRow[];
    return { rows, count };
  }

  /**
   * One cursor page of a ticket's comments: the `size` comments after the one with id `afterId`
   * in `order` (from the start when null), and whether more follow.
   */
  commentsAfter(ticketId: number, afterId: number | null, size: number, order: 'asc' | 'desc'): { rows: CommentRow[]; hasMore: boolean } {
    const cmp = order === 'asc' ? '>' : '<';
    const rows = this.db
      .prepare(
        `SELECT * FROM comments WHERE ticket_id = ? ${afterId === null ? '' : `AND id ${cmp} ?`}
         ORDER BY id ${order === 'asc' ? 'ASC' : 'DESC'} LIMIT ?`,
      )
      .all(...(afterId === null ? [ticketId] : [ticketId, afterId]), size + 1) as CommentRow[];
    return { rows: rows.slice(0, size), hasMore: rows.length > size };
  }

  attachmentsOf(commentIds: number[]): Map<number, AttachmentRow[]> {
    const byComment = new Map<number, AttachmentRow[]>();
    if (commentIds.length === 0) return byComment;
    const rows = this.db
      .prepare(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE comment_id IN (${commentIds.map(() => '?').join(',')}) ORDER BY id`)
      .all(...commentIds) as AttachmentRow[];
    for (const row of rows) {
      const list = byComment.get(row.comment_id ?? 0) ?? [];
      list.push(row);
      byComment.set(row.comment_id ?? 0, list);
    }
    return byComment;
  }

  /** Adds a comment and binds the given uploads to it, all or nothing. */
  addComment(ticketId: number, c: NewComment): CommentRow {
    return this.db.transaction(() => {
      if (!this.user(c.authorId)) throw new RecordInvalid(`author_id ${c.authorId} is not a user`);
      const uploaded: AttachmentRow[] = [];
      for (const t of c.uploads) {
        const rows = this.db.prepare(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE upload_token = ?`).all(t) as AttachmentRow[];
        if (rows.length === 0) throw new RecordInvalid(`upload token ${t} is unknown`);
        if (rows.some((r) => r.comment_id !== null)) throw new RecordInvalid(`upload token ${t} was already used`);
        uploaded.push(...rows);
      }
      const html = c.htmlBody ?? plainToHtml(c.body ?? '');
      const plain = c.htmlBody !== undefined ? htmlToPlain(c.htmlBody) : (c.body ?? '');
      const createdAt = now();
      const auditId = Number((this.db.prepare('SELECT COALESCE(MAX(audit_id), 50000) + 1 AS n FROM comments').get() as { n: number }).n);
      const info = this.db
        .prepare(
          `INSERT INTO comments (ticket_id, author_id, body, html_body, plain_body, public, audit_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(ticketId, c.authorId, plain, html, plain, c.isPublic ? 1 : 0, auditId, createdAt);
      const commentId = Number(info.lastInsertRowid);
      const bind = this.db.prepare('UPDATE attachments SET comment_id = ? WHERE id = ?');
      for (const a of uploaded) bind.run(commentId, a.id);
      this.db.prepare('UPDATE tickets SET updated_at = ? WHERE id = ?').run(createdAt, ticketId);
      return this.db.prepare('SELECT * FROM comments WHERE id = ?').get(commentId) as CommentRow;
    })();
  }

  addTags(ticketId: number, tags: string[]): void {
    const row = this.ticket(ticketId);
    if (!row) return;
    const merged = [...new Set([...(JSON.parse(row.tags) as string[]), ...tags.map((t) => t.toLowerCase())])];
    this.db.prepare('UPDATE tickets SET tags = ? WHERE id = ?').run(JSON.stringify(merged), ticketId);
  }

  setStatus(ticketId: number, status: TicketRow['status']): void {
    this.db.prepare('UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?').run(status, now(), ticketId);
  }

  /** Stores one file; with an existing token the file joins that upload, as Zendesk allows. */
  addUpload(fileName: string, contentType: string, content: Buffer, existingToken?: string): { token: string; attachment: AttachmentRow } {
    return this.db.transaction(() => {
      let uploadToken = existingToken;
      if (uploadToken === undefined) {
        uploadToken = token(18);
        this.db.prepare('INSERT INTO uploads (token, created_at) VALUES (?, ?)').run(uploadToken, now());
      } else if (!this.db.prepare('SELECT 1 FROM uploads WHERE token = ?').get(uploadToken)) {
        throw new RecordInvalid(`upload token ${uploadToken} is unknown`);
      }
      const info = this.db
        .prepare(
          `INSERT INTO attachments (upload_token, url_token, file_name, content_type, size, content, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(uploadToken, token(24), fileName, contentType, content.length, content, now());
      const attachment = this.db
        .prepare(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?`)
        .get(Number(info.lastInsertRowid)) as AttachmentRow;
      return { token: uploadToken, attachment };
    })();
  }

  attachmentContent(urlToken: string): (AttachmentRow & { content: Buffer }) | undefined {
    return this.db.prepare('SELECT * FROM attachments WHERE url_token = ?').get(urlToken) as
      (AttachmentRow & { content: Buffer }) | undefined;
  }
}
