// Entry point: configuration from the environment, then listen.
//
//   GLOSSIA_ISSUER         default http://localhost:4050 (npx glossia-mock); https://glossia.ai for real
//   GLOSSIA_CLIENT_ID      required
//   GLOSSIA_CLIENT_SECRET  required
//   PORT                   default 3000; the redirect URI is http://localhost:$PORT/callback
//   GLOSSIA_REDIRECT_URI   optional: the registered callback URL when the app is deployed elsewhere
import { createExampleApp } from './app.js';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`Set ${name} (see README.md).`);
    process.exit(1);
  }
  return value;
}

const issuer = process.env['GLOSSIA_ISSUER'] || 'http://localhost:4050';
const clientId = required('GLOSSIA_CLIENT_ID');
const clientSecret = required('GLOSSIA_CLIENT_SECRET');
const port = Number(process.env['PORT'] || 3000);
const redirectUri = process.env['GLOSSIA_REDIRECT_URI'] || `http://localhost:${port}/callback`;

createExampleApp({ issuer, clientId, clientSecret, redirectUri }).listen(port, () => {
  console.log(`Login with Glossia example on http://localhost:${port} (issuer ${issuer}, redirect URI ${redirectUri})`);
});
