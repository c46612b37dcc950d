// Renders /openapi.json into a readable reference with a "try it" form for GET operations.
// Self-contained (no CDN); everything from the spec is inserted as text, never as HTML.
(function () {
  'use strict';
  var main = document.getElementById('ops');
  var toc = document.getElementById('toc');

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }

  function paramTable(params) {
    if (!params || !params.length) return null;
    var rows = params.map(function (p) {
      var s = p.schema || {};
      var type = s.type || (s.enum ? 'enum' : '');
      if (s.enum) type += ' (' + s.enum.join(' | ') + ')';
      return el('tr', {}, [
        el('td', {}, [el('code', { text: p.name })]),
        el('td', { text: p.in + (p.required ? ', required' : '') }),
        el('td', { text: type }),
        el('td', { text: p.description || (s.description || '') }),
      ]);
    });
    return el('table', {}, [el('tr', {}, [el('th', { text: 'name' }), el('th', { text: 'in' }), el('th', { text: 'type' }), el('th', { text: 'description' })])].concat(rows));
  }

  function tryIt(path, params) {
    var form = el('form', {});
    var inputs = {};
    (params || []).forEach(function (p) {
      var s = p.schema || {};
      var input = el('input', { name: p.name, placeholder: String(p.example !== undefined ? p.example : (s.example !== undefined ? s.example : (s.default !== undefined ? s.default : ''))) });
      inputs[p.name] = { input: input, where: p.in };
      form.appendChild(el('label', {}, [el('code', { text: p.name + ' ' }), input]));
      form.appendChild(document.createElement('br'));
    });
    var out = el('pre', { hidden: 'hidden' });
    var button = el('button', { type: 'submit', text: 'Send GET' });
    form.appendChild(button);
    form.appendChild(out);
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var url = path;
      var q = new URLSearchParams();
      Object.keys(inputs).forEach(function (name) {
        var i = inputs[name];
        var v = i.input.value || i.input.placeholder;
        if (i.where === 'path') url = url.replace('{' + name + '}', encodeURIComponent(v));
        else if (i.input.value) q.set(name, i.input.value);
      });
      var full = url + (q.toString() ? '?' + q.toString() : '');
      out.hidden = false;
      out.textContent = 'GET ' + full + '\n…';
      fetch(full).then(function (r) {
        return r.text().then(function (t) {
          var body = t;
          try { body = JSON.stringify(JSON.parse(t), null, 2); } catch (e) { /* not JSON */ }
          out.textContent = 'GET ' + full + '\n' + r.status + ' ' + (r.headers.get('content-type') || '') + '\n\n' + body.slice(0, 20000);
        });
      }, function (e) { out.textContent = String(e); });
    });
    return form;
  }

  fetch('/openapi.json').then(function (r) { return r.json(); }).then(function (spec) {
    main.textContent = '';
    var byTag = {};
    Object.keys(spec.paths).forEach(function (path) {
      Object.keys(spec.paths[path]).forEach(function (method) {
        var op = spec.paths[path][method];
        var tag = (op.tags && op.tags[0]) || 'Other';
        (byTag[tag] = byTag[tag] || []).push({ path: path, method: method, op: op });
      });
    });
    Object.keys(byTag).forEach(function (tag, i) {
      var id = 'tag-' + i;
      toc.appendChild(el('a', { href: '#' + id, text: tag }));
      main.appendChild(el('h2', { id: id, text: tag }));
      byTag[tag].forEach(function (o) {
        var op = o.op;
        var head = el('h3', {}, [el('span', { class: 'method ' + o.method, text: o.method }), el('code', { text: o.path })]);
        if (op.security && op.security.length) head.appendChild(el('span', { class: 'lock', text: '  (admin: Authorization: Bearer …)' }));
        var section = el('section', { class: 'op' }, [head, el('p', { text: op.summary || '' })]);
        if (op.description) section.appendChild(el('p', { text: op.description }));
        var t = paramTable(op.parameters);
        if (t) section.appendChild(t);
        var codes = Object.keys(op.responses || {}).map(function (c) { return c + ' ' + (op.responses[c].description || ''); });
        section.appendChild(el('p', { text: 'Responses: ' + codes.join(' · ') }));
        if (o.method === 'get' && !(op.security && op.security.length)) section.appendChild(tryIt(o.path, op.parameters));
        main.appendChild(section);
      });
    });
  }).catch(function (e) { main.textContent = 'Could not load /openapi.json: ' + e; });
})();
