// Library entry point.
export { startMock, type RunningMock } from './server.js';
export { defaultConfig, type Config } from './config.js';
export { defaultFixturesDir } from './fixtures/load.js';
export { profiles, documented, production, type Profile, type ProfileName } from './profiles.js';
export { SCOPES } from './oauth/scopes.js';
