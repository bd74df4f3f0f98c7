import type { Db } from './db.js';
import { plainToHtml } from './text.js';

export const AGENT_ID = 10001;
/** An agent who sees only the Drainage group's tickets (Zendesk "ticket_restriction": "groups"). */
export const RESTRICTED_AGENT_ID = 10005;
export const GROUPS = { heating: 360_001, drainage: 360_002 } as const;

const USERS = [
  { id: AGENT_ID, name: 'Maria Petrova', email: 'maria.petrova@example.com', role: 'admin', locale: 'en-US', tz: 'Europe/Sofia' },
  { id: 10002, name: 'Georgi Ivanov', email: 'georgi.ivanov@example.net', role: 'end-user', locale: 'bg', tz: 'Europe/Sofia' },
  { id: 10003, name: 'Anna Schmidt', email: 'anna.schmidt@example.org', role: 'end-user', locale: 'de', tz: 'Europe/Berlin' },
  { id: 10004, name: 'John Carter', email: 'john.carter@example.com', role: 'end-user', locale: 'en-US', tz: 'Europe/London' },
  { id: 10005, name: 'Thomas Berger', email: 'thomas.berger@example.com', role: 'agent', locale: 'de', tz: 'Europe/Berlin' },
] as const;

interface SeedComment {
  author: number;
  hoursAgo: number;
  body: string;
  isPublic: boolean;
}
interface SeedTicket {
  id: number;
  subject: string;
  status: string;
  priority: string | null;
  type: string | null;
  requester: number;
  assignee: number | null;
  tags: string[];
  comments: SeedComment[];
}

const TICKETS: SeedTicket[] = [
  {
    id: 1201,
    subject: 'Wilo-Stratos MAXO shows error E21',
    status: 'open',
    priority: 'high',
    type: 'incident',
    requester: 10002,
    assignee: AGENT_ID,
    tags: ['stratos_maxo', 'error_code', 'heating'],
    comments: [
      {
        author: 10002,
        hoursAgo: 26,
        isPublic: true,
        body: 'Hello,\n\nour Wilo-Stratos MAXO 40/0,5-12 in the boiler room shows error E21 since this morning. The pump starts, runs for a few minutes and then stops again. The heating in the upper floors is cold.\n\nWhat can we do? We are a small hotel and need the heating back today.\n\nGeorgi Ivanov',
      },
      {
        author: AGENT_ID,
        hoursAgo: 25,
        isPublic: true,
        body: 'Dear Mr Ivanov,\n\nthank you for your message. Error E21 means the motor is overloaded. Could you please check whether the shut-off valves before and after the pump are fully open, and send us a photo of the type plate?\n\nKind regards,\nMaria Petrova\nWilo Service',
      },
      {
        author: 10002,
        hoursAgo: 3,
        isPublic: true,
        body: 'The valves are open. The error came back twice this morning. I can show you the pump with my phone if that helps.',
      },
      {
        author: AGENT_ID,
        hoursAgo: 2,
        isPublic: false,
        body: 'Customer offers a video call. Check the wiring box and the rotor for blockage via Live Assist before sending a technician.',
      },
    ],
  },
  {
    id: 1202,
    subject: 'Wilo-Yonos PICO makes a loud noise after restart',
    status: 'new',
    priority: 'normal',
    type: 'question',
    requester: 10003,
    assignee: null,
    tags: ['yonos_pico', 'noise'],
    comments: [
      {
        author: 10003,
        hoursAgo: 5,
        isPublic: true,
        body: 'Guten Tag,\n\nunsere Wilo-Yonos PICO 25/1-6 macht seit dem Neustart der Heizung ein lautes, ratterndes Geräusch. Die LED leuchtet grün. Muss die Pumpe entlüftet werden?\n\nViele Grüße\nAnna Schmidt',
      },
    ],
  },
  {
    id: 1203,
    subject: 'Wilo-Drain TS 40 does not start in the sump pit',
    status: 'pending',
    priority: 'urgent',
    type: 'incident',
    requester: 10004,
    assignee: AGENT_ID,
    tags: ['drain', 'flooding'],
    comments: [
      {
        author: 10004,
        hoursAgo: 50,
        isPublic: true,
        body: 'Our Wilo-Drain TS 40/10 in the basement sump pit does not start anymore even though the water level is above the float switch. The basement is starting to flood.',
      },
      {
        author: AGENT_ID,
        hoursAgo: 49,
        isPublic: true,
        body: 'Hi John,\n\nplease disconnect the pump from power and check whether the float switch can move freely. Sometimes it gets caught on the pipe or the pit wall. Let us know what you see.\n\nMaria',
      },
      {
        author: 10005,
        hoursAgo: 48,
        isPublic: false,
        body: 'If the float is free, it is likely the capacitor. We have TS 40 spare parts in the Birmingham depot.',
      },
    ],
  },
  {
    id: 1204,
    subject: 'Wilo-Stratos PICO display stays dark after power cut',
    status: 'open',
    priority: 'normal',
    type: 'incident',
    requester: 10002,
    assignee: 10005,
    tags: ['stratos_pico', 'display'],
    comments: [
      {
        author: 10002,
        hoursAgo: 72,
        isPublic: true,
        body: 'After a power cut last night the display of our second pump (Wilo-Stratos PICO 30/1-6) stays dark. The fuse is fine.',
      },
    ],
  },
  {
    id: 1206,
    subject: 'Wilo-Para pump hums but the radiators stay cold',
    status: 'open',
    priority: 'normal',
    type: 'incident',
    requester: 10004,
    assignee: AGENT_ID,
    tags: ['para', 'messaging'],
    comments: [
      {
        author: 10004,
        hoursAgo: 1,
        isPublic: true,
        body: 'Hi, the Wilo-Para pump of our heating hums but the radiators stay cold. Can someone help?',
      },
    ],
  },
  {
    id: 1205,
    subject: 'Warranty question for Wilo-Isar MODUL booster set',
    status: 'solved',
    priority: 'low',
    type: 'question',
    requester: 10004,
    assignee: AGENT_ID,
    tags: ['warranty', 'isar_modul'],
    comments: [
      {
        author: 10004,
        hoursAgo: 120,
        isPublic: true,
        body: 'Is the warranty of our Wilo-Isar MODUL booster set extended if we sign a maintenance contract?',
      },
      {
        author: AGENT_ID,
        hoursAgo: 118,
        isPublic: true,
        body: 'Hi John,\n\nyes: with a Wilo maintenance contract the warranty is extended to five years. I have attached the conditions to your account.\n\nMaria',
      },
    ],
  },
];

const TICKET_GROUPS: Record<number, number> = {
  1201: GROUPS.heating,
  1202: GROUPS.heating,
  1203: GROUPS.drainage,
  1204: GROUPS.drainage,
  1205: GROUPS.heating,
  1206: GROUPS.heating,
};

/**
 * How a ticket came in (`via.channel`): 1206 is a Web Widget messaging conversation, where a public
 * comment from the API does not reach the customer; the others are web form tickets.
 */
const TICKET_CHANNELS: Record<number, string> = { 1206: 'native_messaging' };

export const ticketChannel = (ticketId: number): string => TICKET_CHANNELS[ticketId] ?? 'web';

/** Groups, memberships and the restricted agent; also run on databases seeded before groups existed. */
export function seedGroups(db: Db): void {
  db.prepare('INSERT INTO groups (id, name) VALUES (?, ?), (?, ?)').run(GROUPS.heating, 'Heating service', GROUPS.drainage, 'Drainage');
  const member = db.prepare('INSERT OR IGNORE INTO group_memberships (user_id, group_id) VALUES (?, ?)');
  member.run(AGENT_ID, GROUPS.heating);
  member.run(AGENT_ID, GROUPS.drainage);
  member.run(RESTRICTED_AGENT_ID, GROUPS.drainage);
  db.prepare("UPDATE users SET ticket_restriction = 'groups' WHERE id = ?").run(RESTRICTED_AGENT_ID);
  db.prepare("UPDATE users SET ticket_restriction = 'requested' WHERE role = 'end-user'").run();
  const setGroup = db.prepare('UPDATE tickets SET group_id = ? WHERE id = ?');
  for (const [ticket, group] of Object.entries(TICKET_GROUPS)) setGroup.run(group, Number(ticket));
}

function hoursAgo(h: number): string {
  return new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Fills an empty database with an agent, requesters and Wilo pump tickets. */
export function seed(db: Db): void {
  const created = hoursAgo(24 * 400);
  const insertUser = db.prepare(
    'INSERT INTO users (id, name, email, role, locale, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const u of USERS) insertUser.run(u.id, u.name, u.email, u.role, u.locale, u.tz, created, created);

  const insertTicket = db.prepare(
    `INSERT INTO tickets (id, subject, description, status, priority, type, requester_id, submitter_id, assignee_id, tags, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertComment = db.prepare(
    `INSERT INTO comments (ticket_id, author_id, body, html_body, plain_body, public, audit_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let auditId = 50_001;
  for (const t of TICKETS) {
    const first = t.comments[0];
    const last = t.comments[t.comments.length - 1];
    if (!first || !last) continue;
    insertTicket.run(
      t.id,
      t.subject,
      first.body,
      t.status,
      t.priority,
      t.type,
      t.requester,
      t.requester,
      t.assignee,
      JSON.stringify(t.tags),
      hoursAgo(first.hoursAgo),
      hoursAgo(last.hoursAgo),
    );
    for (const c of t.comments) {
      insertComment.run(t.id, c.author, c.body, plainToHtml(c.body), c.body, c.isPublic ? 1 : 0, auditId++, hoursAgo(c.hoursAgo));
    }
  }
  seedGroups(db);
}
