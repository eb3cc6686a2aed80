// GET /api/accounts (reference 9.4): the accounts whose organization the user belongs to.
import { readListQuery } from './list-query.js';
import type { ApiRoute } from './route.js';

export const accountRoutes: ApiRoute[] = [
  {
    method: 'get',
    path: '/api/accounts',
    scope: 'account:read',
    who: 'any-user',
    target: null,
    summary: 'List the accounts you belong to',
    tag: 'Accounts',
    status: 200,
    paginated: true,
    handle({ mock, caller, query }) {
      const page = readListQuery(query, {
        sortable: ['handle', 'visibility', 'inserted_at'],
        filterable: ['handle', 'visibility'],
        defaultOrder: ['handle', 'asc'],
      });
      const mine = mock.directory.accounts().filter((a) => mock.directory.roleOf(caller.user.id, a) !== undefined);
      const { items, meta } = page(mine.map((a) => ({ handle: a.handle, visibility: a.visibility, inserted_at: a.inserted_at })));
      return { accounts: items.map(({ handle, visibility }) => ({ handle, visibility })), meta };
    },
  },
];
