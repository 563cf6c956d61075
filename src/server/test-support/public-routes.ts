/** Every /api route anyone may call without signing in: the boundary tests hold the route table to exactly these. */
export const PUBLIC_API_ROUTES = [
  'GET /api/health',
  'HEAD /api/health',
  'GET /api/health/live',
  'HEAD /api/health/live',
  'GET /api/health/ready',
  'HEAD /api/health/ready',
  'GET /api/session',
  'HEAD /api/session',
  'POST /api/session',
  'POST /api/user-links/lookup',
  'POST /api/user-links/use',
  'GET /api/auth/oidc/start',
  'HEAD /api/auth/oidc/start',
  'GET /api/auth/oidc/callback',
  'HEAD /api/auth/oidc/callback',
];
