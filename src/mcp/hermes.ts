import type { Mock } from '../mock.js';
import type { ToolCatalog } from './catalog.js';
import { sdkTransport, type McpTransport } from './sdk-sessions.js';
export const hermesTransport = (mock: Mock, catalog: ToolCatalog): McpTransport => sdkTransport(mock, catalog);
