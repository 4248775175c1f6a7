// A real OpenID provider for the sign-in tests: oidc-provider (OpenID Certified) on loopback, with the
// test accounts the suite passes in, its own signing key, and a switch that makes it misbehave on purpose.
//
//   PORT, PORTAL_BASE_URL, CLIENT_ID, CLIENT_SECRET, ACCOUNTS (JSON: login -> claims), KEY_ID
//
// It prints one JSON line {"issuer": ...} once it is listening. POST /__test/mode/<mode> changes what the
// token endpoint hands out: "normal", "rogue-key" (the ID token re-signed by a key the provider never
// published, under the published key's id) or "wrong-issuer" (re-signed by the real key, naming another
// issuer). Logging in uses oidc-provider's development pages: any password is accepted for a known login.
import http from 'node:http';

import * as jose from 'jose';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const portal = process.env.PORTAL_BASE_URL;
const accounts = JSON.parse(process.env.ACCOUNTS);
const keyId = process.env.KEY_ID || 'test-key-1';
const issuer = `http://127.0.0.1:${port}`;

async function signingKey(kid) {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' } };
}

const real = await signingKey(keyId);
const rogue = await signingKey(keyId);
let mode = 'normal';

async function tamper(idToken) {
  const claims = jose.decodeJwt(idToken);
  const key = mode === 'rogue-key' ? rogue.privateKey : real.privateKey;
  if (mode === 'wrong-issuer') claims.iss = 'http://127.0.0.1:9/not-this-provider';
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: keyId }).sign(key);
}

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [`${portal}/sign-in/callback`],
    post_logout_redirect_uris: [`${portal}/`],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [real.jwk] },
  cookies: { keys: ['oneaps test provider cookies'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name'] },
  conformIdTokenClaims: false, // the e-mail claims travel in the ID token, as Entra ID sends them
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, async claims() { return { ...accounts[id], sub: id }; } };
  },
  // The portal is a first-party client of the agency: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && mode !== 'normal' && ctx.body?.id_token) {
    ctx.body.id_token = await tamper(ctx.body.id_token);
  }
});

const handle = provider.callback();
const server = http.createServer((req, res) => {
  const wanted = req.method === 'POST' && req.url.match(/^\/__test\/mode\/([a-z-]+)$/);
  if (wanted) {
    mode = wanted[1];
    res.writeHead(204).end();
    return;
  }
  handle(req, res);
});
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});
