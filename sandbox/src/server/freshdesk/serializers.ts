import type { ConversationRow, FdAgent, FdContact, FdStore, FdTicket } from './store.js';

/** Freshdesk's JSON shapes (REST v2), with the fields the relay and a reader of the sandbox need. */

export function ticketJson(store: FdStore, t: FdTicket, withRequester: boolean) {
  const requester = store.contact(t.requester_id);
  return {
    id: t.id,
    subject: t.subject,
    description: `<div>${t.description}</div>`,
    description_text: t.description,
    requester_id: t.requester_id,
    responder_id: t.responder_id,
    group_id: t.group_id,
    status: t.status,
    priority: t.priority,
    source: 1,
    type: null,
    tags: [],
    cc_emails: [],
    custom_fields: store.customFields(t.id),
    // The description's own files: none in the seed, but they would count against the budget.
    attachments: [],
    created_at: t.created_at,
    updated_at: t.created_at,
    // include=requester gives name, email, id, mobile and phone: never the language.
    ...(withRequester && requester
      ? { requester: { id: requester.id, name: requester.name, email: requester.email, mobile: null, phone: null } }
      : {}),
  };
}

export const contactJson = (c: FdContact) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  language: c.language,
  time_zone: c.time_zone,
  active: true,
  phone: null,
  mobile: null,
});

export const agentJson = (a: FdAgent) => ({
  id: a.id,
  available: true,
  occasional: false,
  ticket_scope: a.ticket_scope,
  group_ids: a.group_ids,
  role_ids: [1],
  type: 'support_agent',
  contact: { active: true, email: a.email, name: a.name, language: a.language, job_title: null, time_zone: 'Berlin' },
});

export function conversationJson(store: FdStore, c: ConversationRow) {
  return {
    id: c.id,
    body: c.body,
    body_text: c.body_text,
    private: c.private === 1,
    incoming: false,
    source: c.source,
    user_id: c.user_id,
    ticket_id: c.ticket_id,
    attachments: store.attachments(c.id).map((a) => ({
      id: a.id,
      name: a.name,
      content_type: a.content_type,
      size: a.size,
      created_at: a.created_at,
    })),
    created_at: c.created_at,
    updated_at: c.created_at,
  };
}
