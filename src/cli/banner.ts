// What the mock prints when it is ready: everything needed to point an app at it.
import { fileURLToPath } from 'node:url';
import type { Profile } from '../profiles.js';
import type { RunningMock } from '../server.js';
import { isPublicClient } from '../oauth/clients.js';

/** The fidelity ledger shipped with the package (docs/fidelity.md). */
export const LEDGER_PATH = fileURLToPath(new URL('../../docs/fidelity.md', import.meta.url));

/** The one start-up line of a profile that claims the real server's behaviour (--profile production). */
export function differencesNotice(profile: Profile): string | null {
  if (profile.deliberateDifferences.length === 0) return null;
  return `${profile.name} profile: glossia.ai's observed behaviour, except on purpose: ${profile.deliberateDifferences.join('; ')}. Fidelity ledger: ${LEDGER_PATH}`;
}

export function banner(running: RunningMock): string {
  const { mock } = running;
  const lines = [
    `glossia-mock ready (profile: ${mock.profile.name})`,
    `  listening   ${running.url}`,
    `  issuer      ${running.issuer}`,
    `  discovery   ${running.issuer}/.well-known/oauth-authorization-server`,
    `  store       ${mock.store.file ?? 'in memory'}`,
  ];
  const notice = differencesNotice(mock.profile);
  if (notice) lines.push(notice);
  if (mock.config.autoApprove) lines.push(`  auto-approve as "${mock.config.autoApprove}" (login_hint=HANDLE picks another user)`);
  lines.push('', 'Fixture users (sign in by picking one):');
  for (const u of mock.directory.users) lines.push(`  ${u.handle.padEnd(10)} ${u.email}${u.super_admin ? '  (super admin)' : ''}`);
  lines.push('', 'Pre-registered clients:');
  for (const c of mock.clients.fixtureClients()) {
    lines.push(`  ${c.client_name}${isPublicClient(c) ? ' (public, PKCE only)' : ''}`);
    lines.push(`    client_id      ${c.client_id}`);
    if (c.client_secret) lines.push(`    client_secret  ${c.client_secret}`);
    lines.push(`    redirect_uris  ${c.redirect_uris.join(' ')}`);
  }
  return lines.join('\n');
}

/** A mismatch between where we listen and what we tell clients is the classic mock pitfall. */
export function issuerWarnings(running: RunningMock): string[] {
  const warnings: string[] = [];
  const listen = new URL(running.url);
  const issuer = new URL(running.issuer);
  const loopback = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  if (loopback(issuer.hostname) && !loopback(listen.hostname) && listen.hostname !== '0.0.0.0' && listen.hostname !== '[::]')
    warnings.push(`issuer ${running.issuer} names this machine, but the server listens on ${running.url}.`);
  if (issuer.port && listen.port !== issuer.port && loopback(issuer.hostname))
    warnings.push(`issuer port ${issuer.port} differs from the listening port ${listen.port}; is a proxy in front?`);
  return warnings;
}
