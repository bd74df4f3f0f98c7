/** The invite token in `/customer/join/<token>`, or null when the path holds none. */
export function inviteTokenFromPath(pathname: string): string | null {
  const match = /\/join\/([A-Za-z0-9_-]{8,512})\/?$/.exec(pathname);
  return match?.[1] ?? null;
}
