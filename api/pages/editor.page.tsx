/**
 * Editor sign-in. The token never leaves this browser except as the API's bearer token: editor.js checks it
 * against an admin route, keeps it in localStorage and sets the `frontera_editor` cookie that makes story
 * pages load the editor controls. The input has no name, so a submission without script sends nothing.
 */
export function EditorPage() {
  return (
    <div class="page-head editor-page">
      <h1>Editors</h1>
      <p class="lede">
        Sign in with the admin token to correct the beat classifier from the story pages: each article of a story gets “On the beat”, “Adjacent”
        and “Off the beat” buttons. A correction applies at once, outlives every reclassification, and is learned from by{' '}
        <code>npm run job -- retrain</code>.
      </p>
      <form id="editor-signin" class="editor-signin" action="/editor" method="get">
        <label for="editor-token">Admin token</label>
        <input id="editor-token" type="password" autocomplete="current-password" required minlength={16} maxlength={500} />
        <button type="submit">Sign in</button>
        <button type="button" id="editor-signout">
          Sign out
        </button>
      </form>
      <p id="editor-status" class="editor-status" role="status">
        This page needs JavaScript.
      </p>
    </div>
  );
}
