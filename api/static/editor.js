// Frontera editor controls. Loaded only on /editor and, for a browser signed in there, on story pages; the
// reader pages stay script-free for everyone else. The admin token lives in this browser's localStorage and
// goes to the API only as a bearer token (no cookie carries it: no cross-site request can use it); the
// `frontera_editor` cookie merely tells the server to add this script to story pages.
(function () {
  'use strict';
  var TOKEN_KEY = 'frontera-admin-token';
  var COOKIE = 'frontera_editor';
  var LABELS = [
    ['on_beat', 'On the beat'],
    ['adjacent', 'Adjacent'],
    ['off_beat', 'Off the beat'],
  ];

  function token() {
    try {
      return window.localStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  function setEditorCookie(on) {
    var secure = window.location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = COOKIE + '=' + (on ? '1; Max-Age=31536000' : '; Max-Age=0') + '; Path=/; SameSite=Strict' + secure;
  }

  /** A JSON API call with the bearer token; rejects with the API's error message. */
  function api(method, path, body, bearer) {
    var headers = { Accept: 'application/json', Authorization: 'Bearer ' + (bearer || token() || '') };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return window
      .fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            if (!res.ok) throw new Error((data && data.error && data.error.message) || 'HTTP ' + res.status);
            return data;
          });
      });
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      e.setAttribute(k, attrs[k]);
    });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // --- /editor: sign in and out
  function signInPage(form) {
    var input = document.getElementById('editor-token');
    var status = document.getElementById('editor-status');
    var signOut = document.getElementById('editor-signout');
    var show = function (text) {
      status.textContent = text;
    };
    show(token() ? 'Signed in: story pages show the editor controls.' : 'Not signed in.');
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var t = input.value.trim();
      if (!t) return show('Enter the admin token.');
      show('Checking…');
      api('GET', '/v1/admin/corrections', undefined, t).then(
        function (data) {
          window.localStorage.setItem(TOKEN_KEY, t);
          setEditorCookie(true);
          input.value = '';
          show('Signed in (' + data.data.length + ' corrections so far): story pages show the editor controls.');
        },
        function (err) {
          show('Not signed in: ' + err.message);
        },
      );
    });
    signOut.addEventListener('click', function () {
      window.localStorage.removeItem(TOKEN_KEY);
      setEditorCookie(false);
      show('Signed out.');
    });
  }

  // --- story pages: label each article of the timeline
  function storyControls(items) {
    if (!token()) return;
    var topicsP = api('GET', '/v1/topics').then(
      function (r) {
        return r.data.filter(function (t) {
          return t.slug !== 'all';
        });
      },
      function () {
        return [];
      },
    );
    items.forEach(function (li) {
      var id = li.getAttribute('data-article-id');
      var box = el('div', { class: 'editor-controls', role: 'group', 'aria-label': 'Editor: label this article' });
      var buttons = LABELS.map(function (l) {
        var b = el('button', { type: 'button', 'data-relevance': l[0], 'aria-pressed': 'false' }, l[1]);
        box.appendChild(b);
        return b;
      });
      var select = el('select', { 'aria-label': 'Topic (for on the beat)' });
      select.appendChild(el('option', { value: '' }, 'Topic: automatic'));
      box.appendChild(select);
      var clear = el('button', { type: 'button', class: 'editor-clear', hidden: '' }, 'Clear correction');
      box.appendChild(clear);
      var status = el('span', { class: 'editor-status', role: 'status' });
      box.appendChild(status);
      li.querySelector('.what').appendChild(box);

      topicsP.then(function (topics) {
        topics.forEach(function (t) {
          select.appendChild(el('option', { value: t.slug }, t.name));
        });
      });
      api('GET', '/v1/articles/' + id).then(
        function (a) {
          var corrected = (a.evidence || []).some(function (e) {
            return e.rule.indexOf('editor:') === 0;
          });
          buttons.forEach(function (b) {
            b.setAttribute('aria-pressed', String(b.getAttribute('data-relevance') === a.relevance));
          });
          if (corrected) clear.removeAttribute('hidden');
          status.textContent = corrected ? 'corrected by an editor' : 'as classified';
        },
        function (err) {
          status.textContent = err.message;
        },
      );
      var send = function (method, body) {
        status.textContent = 'Saving…';
        api(method, '/v1/articles/' + id + '/label', body).then(
          function () {
            window.location.reload();
          },
          function (err) {
            status.textContent = err.message;
          },
        );
      };
      buttons.forEach(function (b) {
        b.addEventListener('click', function () {
          var body = { relevance: b.getAttribute('data-relevance') };
          if (body.relevance === 'on_beat' && select.value) body.topics = [select.value];
          send('PUT', body);
        });
      });
      clear.addEventListener('click', function () {
        send('DELETE');
      });
    });
  }

  function start() {
    var form = document.getElementById('editor-signin');
    if (form) signInPage(form);
    var items = Array.prototype.slice.call(document.querySelectorAll('li.timeline-item[data-article-id]'));
    if (items.length) storyControls(items);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
