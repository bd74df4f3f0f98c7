import { createHash, randomUUID } from 'node:crypto';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, SignJWT } from 'jose';
import type { CryptoKey } from 'jose';
import { persistentSetting, type Db } from './db.js';

export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicKeyPem: string;
}

/** The sandbox's app key pair: generated once, then kept in the database so tokens survive restarts. */
export async function loadSigningKeys(db: Db): Promise<SigningKeys> {
  let generatedPublicPem: string | undefined;
  const privatePem = await persistentSetting(db, 'app_private_key_pem', async () => {
    const pair = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    generatedPublicPem = await exportSPKI(pair.publicKey);
    return exportPKCS8(pair.privateKey);
  });
  const publicKeyPem = await persistentSetting(db, 'app_public_key_pem', () => {
    if (!generatedPublicPem) throw new Error('sandbox database has a private key without its public key');
    return generatedPublicPem;
  });
  return {
    privateKey: await importPKCS8(privatePem, 'RS256'),
    publicKey: await importSPKI(publicKeyPem, 'RS256'),
    publicKeyPem,
  };
}

export interface AppTokenClaims {
  issuer: string;
  audience: string;
  location: string;
  /** Where the app was loaded: the `qsh` claim is a hash of the method and this URL. */
  url: string;
  /** Where the key can be fetched (`cnf.jku`). */
  keyUrl: string;
  userId: number;
}

/**
 * A token shaped like the one Zendesk POSTs to a signed-URL app location: exactly Zendesk's claim
 * set (iss, aud, sub, iat, exp, nbf, qsh, cnf, context) and nothing about the user but the id.
 */
export function signAppToken(keys: SigningKeys, claims: AppTokenClaims): Promise<string> {
  const qsh = createHash('sha256').update(`POST&${claims.url}`).digest('hex');
  return (
    new SignJWT({
      context: { product: 'support', location: claims.location },
      qsh,
      cnf: { jku: claims.keyUrl },
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
      .setIssuer(claims.issuer)
      .setAudience(claims.audience)
      .setSubject(String(claims.userId))
      // Every app load gets its own token (the relay spends each once), as Zendesk's do.
      .setJti(randomUUID())
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('5m')
      .sign(keys.privateKey)
  );
}
