// Every REST API route, in the order the router tries them (organization routes before the
// `/api/:handle/…` ones, so `/api/organizations/x` is never read as an account named "organizations").
import type { Profile } from '../profiles.js';
import { accountRoutes } from './accounts.js';
import { organizationRoutes } from './organizations.js';
import { projectRoutes } from './projects.js';
import { accountTokenRoutes } from './account-tokens.js';
import { oauthAppRoutes } from './oauth-apps.js';
import { voiceRoutes } from './voice.js';
import { glossaryRoutes } from './glossary.js';
import { modelRoutes } from './models.js';
import { translateRoutes } from './translate.js';
import type { ApiRoute } from './route.js';

export function apiRoutes(profile: Profile): ApiRoute[] {
  return [...organizationRoutes, ...accountRoutes, ...projectRoutes(profile.flatProjectsRoute), ...accountTokenRoutes, ...oauthAppRoutes, ...voiceRoutes, ...glossaryRoutes, ...modelRoutes, ...translateRoutes];
}
