import { z } from 'zod';

/** The registered context the host sends with `app.registered` (only what we rely on). */
export const AppContextSchema = z.looseObject({
  location: z.string(),
  instanceGuid: z.string().min(1),
  product: z.string().optional(),
  account: z.looseObject({ subdomain: z.string() }).optional(),
});
export type AppContext = z.infer<typeof AppContextSchema>;

const RegistrationSchema = z.looseObject({ context: AppContextSchema });

/** Accepts either the `app.registered` payload or a bare context (from `client.context()`). */
export function parseRegistration(payload: unknown): AppContext | null {
  const registration = RegistrationSchema.safeParse(payload);
  if (registration.success) return registration.data.context;
  const context = AppContextSchema.safeParse(payload);
  return context.success ? context.data : null;
}
