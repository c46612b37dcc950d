import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../src/errors.js';

// Admin routes: `Authorization: Bearer <ADMIN_TOKEN>`. Both sides are hashed first so the comparison
// is constant-time whatever the lengths (timingSafeEqual needs equal lengths). No token configured:
// the admin surface is off (403), not open.

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();

export function requireAdmin(token: string | undefined): MiddlewareHandler {
  const expected = token ? sha256(token) : null;
  return async (c, next) => {
    c.header('Cache-Control', 'no-store');
    if (!expected) throw new AppError('forbidden', 'admin disabled: set ADMIN_TOKEN to enable admin routes');
    const m = /^Bearer\s+(.+)$/i.exec(c.req.header('Authorization') ?? '');
    if (!m || !crypto.timingSafeEqual(sha256(m[1]!.trim()), expected)) {
      throw new AppError('unauthorized', 'A valid admin bearer token is required');
    }
    await next();
  };
}
