/**
 * The HTML report's only script: filterable, sortable, paginated tables over the JSON data blocks of
 * the page (findings, inventory), so 100,000 findings never become 100,000 DOM rows. Every value is
 * put in the page with textContent, never parsed as HTML. Plain ES2017, no library, no network.
 *
 * Row layouts (the writer in reports/html.ts fills them in this order):
 *   findings:  [rank, severity, ruleIndex, resource, provider, kind, message, where, owner, ownerState,
 *               blastScore, blastReasons, status, fingerprint, commands, human]
 *   inventory: [provider, type, kind, name, owners, ownerState, status, scope, detail, source]
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var SEV = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  function data(id) { var node = document.getElementById(id); return node ? JSON.parse(node.textContent) : null; }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent) { for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(typeof arguments[i] === 'string' ? document.createTextNode(arguments[i]) : arguments[i]); return parent; }
  function badge(sev) { return el('span', 'badge sev-' + sev, sev.toUpperCase()); }
  function state(s) { return el('span', 'state-' + s, s === 'none' ? 'no owner' : s); }
  var collator = new Intl.Collator('en', { numeric: true });
  function cmp(a, b) { return typeof a === 'number' && typeof b === 'number' ? a - b : collator.compare(String(a), String(b)); }

  function DataTable(host, spec) {
    this.host = host; this.spec = spec; this.rows = spec.rows; this.page = 0; this.size = spec.pageSize || 50;
    this.sortCol = -1; this.sortDir = 1; this.filters = {}; this.query = '';
    this.build(); this.apply();
  }
  DataTable.prototype.build = function () {
    var self = this, spec = this.spec, controls = el('div', 'controls');
    var search = el('input'); search.type = 'search'; search.id = spec.id + '-search'; search.placeholder = 'text in any column';
    var timer = 0;
    search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { self.query = search.value.toLowerCase(); self.apply(); }, 120); });
    add(controls, add(el('label', null, 'Search'), search));
    spec.filters.forEach(function (f) {
      var select = el('select'); select.id = spec.id + '-filter-' + f.key;
      add(select, el('option', null, 'all'));
      select.firstChild.value = '';
      f.values.forEach(function (v) { var o = el('option', null, v[1]); o.value = v[0]; select.appendChild(o); });
      select.addEventListener('change', function () { self.filters[f.key] = select.value; self.apply(); });
      add(controls, add(el('label', null, f.label), select));
    });
    this.table = el('table'); this.table.id = spec.id + '-table';
    var head = el('tr');
    spec.columns.forEach(function (c, i) {
      var th = el('th', c.num ? 'num' : null); th.scope = 'col';
      var button = el('button', null, c.label); button.type = 'button'; button.setAttribute('data-col', String(i));
      button.addEventListener('click', function () { self.sortBy(i); });
      th.appendChild(button); head.appendChild(th);
    });
    if (spec.detail) head.appendChild(el('th', null, ''));
    add(this.table, add(el('thead'), head));
    this.body = el('tbody'); this.table.appendChild(this.body);
    this.count = el('p', 'small muted'); this.count.id = spec.id + '-count'; this.count.setAttribute('aria-live', 'polite');
    var pager = el('div', 'pager'), prev = el('button', null, 'Previous'), next = el('button', null, 'Next');
    prev.type = next.type = 'button'; prev.id = spec.id + '-prev'; next.id = spec.id + '-next';
    prev.addEventListener('click', function () { if (self.page > 0) { self.page--; self.render(); } });
    next.addEventListener('click', function () { if ((self.page + 1) * self.size < self.view.length) { self.page++; self.render(); } });
    add(pager, prev, next, this.count);
    add(this.host, controls, this.table, pager);
  };
  DataTable.prototype.apply = function () {
    var spec = this.spec, q = this.query, filters = this.filters, keys = Object.keys(filters).filter(function (k) { return filters[k]; });
    var byKey = {}; spec.filters.forEach(function (f) { byKey[f.key] = f; });
    this.view = [];
    for (var i = 0; i < this.rows.length; i++) {
      var row = this.rows[i], ok = true;
      for (var k = 0; k < keys.length && ok; k++) ok = String(byKey[keys[k]].get(row)) === filters[keys[k]];
      if (ok && q) ok = spec.text(row).toLowerCase().indexOf(q) >= 0;
      if (ok) this.view.push(i);
    }
    this.sort(); this.page = 0; this.render();
  };
  DataTable.prototype.sortBy = function (i) {
    this.sortDir = this.sortCol === i ? -this.sortDir : 1; this.sortCol = i;
    var ths = this.table.tHead.rows[0].cells;
    for (var c = 0; c < ths.length; c++) if (ths[c].firstChild && ths[c].firstChild.nodeName === 'BUTTON') ths[c].setAttribute('aria-sort', c === i ? (this.sortDir > 0 ? 'ascending' : 'descending') : 'none');
    this.sort(); this.page = 0; this.render();
  };
  DataTable.prototype.sort = function () {
    if (this.sortCol < 0) return;
    var key = this.spec.columns[this.sortCol].key, rows = this.rows, dir = this.sortDir;
    var values = new Array(rows.length); this.view.forEach(function (i) { values[i] = key(rows[i]); });
    this.view.sort(function (a, b) { return dir * cmp(values[a], values[b]) || a - b; });
  };
  DataTable.prototype.render = function () {
    var spec = this.spec, body = this.body, rows = this.rows, start = this.page * this.size, end = Math.min(this.view.length, start + this.size);
    while (body.firstChild) body.removeChild(body.firstChild);
    for (var v = start; v < end; v++) {
      var row = rows[this.view[v]], tr = el('tr');
      spec.columns.forEach(function (c) { var td = el('td', c.num ? 'num' : null); add(td, c.render(row)); tr.appendChild(td); });
      if (spec.detail) tr.appendChild(this.detailButton(row, tr));
      body.appendChild(tr);
    }
    var total = this.view.length;
    this.count.textContent = (total ? 'Rows ' + (start + 1) + '\\u2013' + end + ' of ' + total : 'No rows') + (total < rows.length ? ' (filtered from ' + rows.length + ')' : '');
  };
  DataTable.prototype.detailButton = function (row, tr) {
    var spec = this.spec, td = el('td'), button = el('button', null, 'Details'), open = null;
    button.type = 'button'; button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', function () {
      if (open) { open.parentNode.removeChild(open); open = null; button.setAttribute('aria-expanded', 'false'); return; }
      open = el('tr', 'detail'); var cell = el('td'); cell.colSpan = spec.columns.length + 1;
      open.appendChild(add(cell, spec.detail(row))); tr.parentNode.insertBefore(open, tr.nextSibling); button.setAttribute('aria-expanded', 'true');
    });
    return add(td, button);
  };

  function dl(pairs) {
    var list = el('dl');
    pairs.forEach(function (p) { if (p[1] === '' || p[1] === null || p[1] === undefined) return; add(list, el('dt', null, p[0]), add(el('dd'), typeof p[1] === 'string' ? el('span', null, p[1]) : p[1])); });
    return add(el('div', 'detail'), list);
  }
  function distinct(rows, get) { var seen = {}; rows.forEach(function (r) { seen[get(r)] = 1; }); return Object.keys(seen).sort().map(function (v) { return [v, v]; }); }

  function findingsTable(host, d) {
    var rules = d.rules;
    var rule = function (r) { return rules[r[2]]; };
    new DataTable(host, {
      id: 'findings', rows: d.rows, pageSize: 50,
      columns: [
        { label: '#', num: true, key: function (r) { return r[0]; }, render: function (r) { return String(r[0]); } },
        { label: 'Severity', key: function (r) { return -SEV[r[1]]; }, render: function (r) { return badge(r[1]); } },
        { label: 'Finding', key: function (r) { return rule(r).title; }, render: function (r) { return add(el('span'), rule(r).title, el('br'), el('code', 'small muted', rule(r).id)); } },
        { label: 'Resource', key: function (r) { return r[3]; }, render: function (r) { return add(el('span'), r[3], el('br'), el('span', 'small muted', r[4] + ' ' + r[5] + (r[15] ? ' (a person)' : ''))); } },
        { label: 'Owner', key: function (r) { return r[8]; }, render: function (r) { return add(el('span'), r[8] ? r[8] + ' ' : '', state(r[9])); } },
        { label: 'Blast radius', num: true, key: function (r) { return -r[10]; }, render: function (r) { var s = el('span', null, String(r[10])); s.title = r[11]; return s; } },
        { label: 'Status', key: function (r) { return r[12]; }, render: function (r) { return r[12]; } }
      ],
      filters: [
        { key: 'severity', label: 'Severity', get: function (r) { return r[1]; }, values: Object.keys(SEV).map(function (s) { return [s, s]; }) },
        { key: 'rule', label: 'Rule', get: function (r) { return r[2]; }, values: rules.map(function (x, i) { return [String(i), x.title]; }) },
        { key: 'category', label: 'Category', get: function (r) { return rule(r).category; }, values: distinct(rules, function (x) { return x.category; }) },
        { key: 'provider', label: 'Provider', get: function (r) { return r[4]; }, values: distinct(d.rows, function (r) { return r[4]; }) },
        { key: 'owner', label: 'Owner state', get: function (r) { return r[9]; }, values: [['active', 'active'], ['departed', 'departed'], ['unverified', 'unverified'], ['none', 'no owner']] }
      ],
      text: function (r) { return [r[3], r[6], r[7], r[8], r[13], rule(r).title, rule(r).id].join(' '); },
      detail: function (r) {
        var why = el('a', null, 'why it matters'); why.href = '#' + rule(r).anchor;
        var commands = r[14] && r[14].length ? el('pre', null, r[14].join('\\n')) : '';
        return dl([['Message', r[6]], ['Where', r[7]], ['Blast radius', r[11] ? r[10] + ': ' + r[11] : String(r[10])], ['Owner', r[8] ? r[8] + ' (' + r[9] + ')' : 'none'],
          ['What to do', rule(r).what], ['Commands', commands], ['Rule', add(el('span'), rule(r).id + ' \\u2014 ', why)], ['Fingerprint', r[13]]]);
      }
    });
  }

  function inventoryTable(host, d) {
    new DataTable(host, {
      id: 'inventory', rows: d.rows, pageSize: 25,
      columns: [
        { label: 'Provider', key: function (r) { return r[0]; }, render: function (r) { return r[0]; } },
        { label: 'Type', key: function (r) { return r[1]; }, render: function (r) { return r[1]; } },
        { label: 'Kind', key: function (r) { return r[2]; }, render: function (r) { return r[2]; } },
        { label: 'Name', key: function (r) { return r[3]; }, render: function (r) { return r[3]; } },
        { label: 'Owners', key: function (r) { return r[4]; }, render: function (r) { return r[4] || '-'; } },
        { label: 'Owner state', key: function (r) { return r[5]; }, render: function (r) { return state(r[5]); } },
        { label: 'Status', key: function (r) { return r[6]; }, render: function (r) { return r[6]; } }
      ],
      filters: [
        { key: 'provider', label: 'Provider', get: function (r) { return r[0]; }, values: distinct(d.rows, function (r) { return r[0]; }) },
        { key: 'type', label: 'Type', get: function (r) { return r[1]; }, values: [['identity', 'identity'], ['credential', 'credential']] },
        { key: 'owner', label: 'Owner state', get: function (r) { return r[5]; }, values: [['active', 'active'], ['departed', 'departed'], ['unverified', 'unverified'], ['none', 'no owner']] }
      ],
      text: function (r) { return [r[2], r[3], r[4], r[7], r[8]].join(' '); },
      detail: function (r) { return dl([['Scope', r[7]], ['Owners, and why', r[4]], ['Detail', r[8]], ['Source', r[9]]]); }
    });
  }

  var findings = data('nhiscan-findings'), inventory = data('nhiscan-inventory');
  var fh = document.getElementById('findings-host'), ih = document.getElementById('inventory-host');
  if (findings && fh) findingsTable(fh, findings);
  if (inventory && ih) inventoryTable(ih, inventory);
  window.addEventListener('beforeprint', function () { Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.setAttribute('data-was-open', d.open ? '1' : ''); d.open = true; }); });
  window.addEventListener('afterprint', function () { Array.prototype.forEach.call(document.querySelectorAll('details'), function (d) { d.open = d.getAttribute('data-was-open') === '1'; }); });
})();
`;
