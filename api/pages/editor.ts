import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';

/**
 * Whether this browser signed in on /editor (editor.js sets the cookie; it holds no secret: the admin token
 * stays in localStorage and every write is checked against it). Such a request gets the story page with the
 * editor script, rendered for it alone: never from or into the shared response cache, never stored by others.
 */
export function isEditor(c: Context): boolean {
  return getCookie(c, 'frontera_editor') === '1';
}
