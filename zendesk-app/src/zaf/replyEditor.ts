import type { ZafClient } from 'zendesk_app_framework_sdk';
import { z } from 'zod';
import type { ReplyEditor } from '../sidebar/inviteDeliveryStore';

/**
 * Zendesk's `ticket.via.channel` of messaging conversations: the Web Widget and mobile SDKs
 * (`native_messaging`) and the social messaging channels. A public comment added through the API
 * stays on the ticket there; only the agent's reply in the composer reaches the customer.
 */
const MESSAGING_CHANNELS = new Set([
  'native_messaging',
  'whatsapp',
  'messenger',
  'facebook_messenger',
  'instagram_dm',
  'line',
  'wechat',
  'telegram',
  'viber',
  'twitter_dm',
  'apple_business_chat',
  'apple_messages_for_business',
  'google_business_messages',
  'google_rcs',
  'kakaotalk',
  'sunshine_conversations_api',
  'sunshine_conversations_facebook_messenger',
  'sunshine_conversations_twitter_dm',
  'chat',
]);

export const isMessagingChannel = (channel: string | null): boolean => channel !== null && MESSAGING_CHANNELS.has(channel);

/**
 * The agent's reply on the ticket, through ZAF: HTML into the ticket editor, plain text into a
 * messaging composer (which shows markup as typed characters).
 */
export function zafReplyEditor(client: ZafClient): ReplyEditor {
  return {
    async messaging() {
      const result = await client.get('ticket.via.channel');
      const channel = z.string().safeParse(result['ticket.via.channel']);
      return isMessagingChannel(channel.success ? channel.data : null);
    },
    async insert(reply, messaging) {
      if (messaging) await client.invoke('ticket.comment.appendText', reply.text);
      else await client.invoke('ticket.comment.appendHtml', reply.html);
    },
  };
}
