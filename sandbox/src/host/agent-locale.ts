/**
 * Agent-interface locales the sandbox can switch its agent to, spelt as Zendesk reports them in
 * `currentUser.locale`. `fr` is here on purpose: a language the app does not ship, to see its fallback.
 */
export const AGENT_LOCALES = ['en-US', 'en-GB', 'bg', 'de', 'de-AT', 'de-CH', 'fr'] as const;
export type AgentLocale = (typeof AGENT_LOCALES)[number];

/**
 * The agent locale for one ticket page: `?locale=bg` on `/sandbox/tickets/<id>` stands in for the
 * agent changing their language in their Zendesk profile, so the app can be looked at in another
 * language without touching the seeded agent. Anything not in AGENT_LOCALES is refused (`unknown`),
 * so a typo cannot reach the app as a locale no helpdesk would send.
 */
export function agentLocaleOverride(search: string): { locale: AgentLocale } | { unknown: string } | null {
  const requested = new URLSearchParams(search).get('locale');
  if (requested === null || requested === '') return null;
  const known = AGENT_LOCALES.find((l) => l.toLowerCase() === requested.toLowerCase());
  return known ? { locale: known } : { unknown: requested };
}
