import type { AttachmentRow, CommentRow, TicketRow, UserRow } from './db.js';
import { ticketChannel } from './seed.js';

/** Builds Zendesk-shaped JSON; every URL is absolute, as Zendesk's are. */
export class Serializer {
  constructor(private readonly baseUrl: string) {}

  user(u: UserRow) {
    return {
      id: u.id,
      url: `${this.baseUrl}/api/v2/users/${u.id}.json`,
      name: u.name,
      email: u.email,
      created_at: u.created_at,
      updated_at: u.updated_at,
      time_zone: u.time_zone,
      iana_time_zone: u.time_zone,
      phone: null,
      photo: null,
      locale: u.locale,
      locale_id: null,
      organization_id: u.organization_id ?? null,
      role: u.role,
      role_type: null,
      verified: true,
      active: true,
      suspended: false,
      shared: false,
      moderator: u.role !== 'end-user',
      only_private_comments: false,
      restricted_agent: u.role === 'agent' && u.ticket_restriction !== null,
      ticket_restriction: u.ticket_restriction ?? null,
      external_id: null,
      tags: [],
      user_fields: {},
    };
  }

  ticket(t: TicketRow) {
    return {
      url: `${this.baseUrl}/api/v2/tickets/${t.id}.json`,
      id: t.id,
      external_id: null,
      via: { channel: ticketChannel(t.id), source: { from: {}, to: {}, rel: null } },
      created_at: t.created_at,
      updated_at: t.updated_at,
      type: t.type,
      subject: t.subject,
      raw_subject: t.subject,
      description: t.description,
      priority: t.priority,
      status: t.status,
      recipient: null,
      requester_id: t.requester_id,
      submitter_id: t.submitter_id,
      assignee_id: t.assignee_id,
      organization_id: t.organization_id ?? null,
      group_id: t.group_id ?? null,
      collaborator_ids: [],
      follower_ids: [],
      email_cc_ids: [],
      has_incidents: false,
      is_public: true,
      due_at: null,
      tags: JSON.parse(t.tags) as unknown,
      custom_fields: [],
      fields: [],
      satisfaction_rating: null,
      sharing_agreement_ids: [],
      followup_ids: [],
      brand_id: null,
      allow_channelback: false,
      allow_attachments: true,
      from_messaging_channel: false,
    };
  }

  attachment(a: AttachmentRow) {
    const contentUrl = `${this.baseUrl}/sandbox/attachments/${a.url_token}/${encodeURIComponent(a.file_name)}`;
    return {
      url: `${this.baseUrl}/api/v2/attachments/${a.id}.json`,
      id: a.id,
      file_name: a.file_name,
      content_url: contentUrl,
      mapped_content_url: contentUrl,
      content_type: a.content_type,
      size: a.size,
      width: null,
      height: null,
      inline: false,
      deleted: false,
      malware_access_override: false,
      malware_scan_result: 'malware_not_found',
      thumbnails: [],
    };
  }

  comment(c: CommentRow, attachments: AttachmentRow[]) {
    return {
      id: c.id,
      type: 'Comment',
      author_id: c.author_id,
      body: c.body,
      html_body: c.html_body,
      plain_body: c.plain_body,
      public: c.public === 1,
      attachments: attachments.map((a) => this.attachment(a)),
      audit_id: c.audit_id,
      via: { channel: 'api', source: { from: {}, to: {}, rel: null } },
      created_at: c.created_at,
      metadata: { system: {}, custom: {} },
    };
  }

  groupMembership(m: { id: number; user_id: number; group_id: number }, isDefault: boolean) {
    return {
      url: `${this.baseUrl}/api/v2/group_memberships/${m.id}.json`,
      id: m.id,
      user_id: m.user_id,
      group_id: m.group_id,
      default: isDefault,
      created_at: '2024-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
    };
  }
}

export type ZendeskUser = ReturnType<Serializer['user']>;
