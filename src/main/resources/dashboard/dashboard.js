// Coedge dashboard: polls this node's endpoints and draws what it sees. No build step, no framework.
// Query parameters: every=<ms> (poll period, default 2000, at least 250), points=<n> (history kept, default 300).
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var EVERY = Math.max(250, parseInt(params.get('every'), 10) || 2000);
  var POINTS = Math.max(10, parseInt(params.get('points'), 10) || 300);
  var ROUTES = ['local', 'offload', 'cascade', 'fallback'];
  var COLOURS = ['#2a9d8f', '#e76f51', '#8e44ad', '#e9c46a'];
  var state = { polls: 0, errors: 0, last: null, key: sessionStorage.getItem('coedge-key') || '' };
  var hist = { t: [], routes: ROUTES.map(function () { return []; }), errLocal: [], errRemote: [],
    offloads: [], spend: [] };

  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function num(v, digits) { return v === null || v === undefined || isNaN(v) ? '–' : Number(v).toFixed(digits); }

  function get(path, text) {
    var headers = state.key ? { 'X-API-Key': state.key } : {};
    return fetch(path, { headers: headers, cache: 'no-store' }).then(function (r) {
      if (r.status === 401 || r.status === 403) {
        $('key-form').hidden = false;
        throw new Error(path + ': ' + r.status + ' (enter an API key with the admin scope)');
      }
      if (!r.ok) { throw new Error(path + ': HTTP ' + r.status); }
      return text ? r.text() : r.json();
    });
  }

  // Prometheus text format: {name: [{labels: {...}, value: n}]}, only the families we read.
  function parseMetrics(text) {
    var out = {};
    text.split('\n').forEach(function (line) {
      if (!line || line.charAt(0) === '#') { return; }
      var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
      if (!m || m[1].indexOf('coedge_') !== 0) { return; }
      var labels = {};
      var re = /(\w+)="((?:[^"\\]|\\.)*)"/g, l;
      while ((l = re.exec(m[3] || '')) !== null) { labels[l[1]] = l[2]; }
      (out[m[1]] = out[m[1]] || []).push({ labels: labels, value: parseFloat(m[4]) });
    });
    return out;
  }

  function sum(metrics, name, filter) {
    return (metrics[name] || []).filter(filter || function () { return true; })
      .reduce(function (a, s) { return a + s.value; }, 0);
  }

  function chart(el, title, series, yLabel) {
    var opts = { width: 460, height: 220, title: title, scales: { x: { time: true } },
      axes: [{}, { label: yLabel, size: 60 }],
      series: [{}].concat(series.map(function (s, i) {
        return { label: s, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: true };
      })) };
    return new uPlot(opts, [[]].concat(series.map(function () { return []; })), $(el));
  }

  var charts = {
    routes: chart('routes-chart', '', ROUTES, 'req/s'),
    error: chart('error-chart', '', ['local', 'remote'], '%'),
    spend: chart('spend-chart', '', ['offloads/s', 'spend (total)'], '')
  };

  function push(arr, v) { arr.push(v); if (arr.length > POINTS) { arr.shift(); } }

  function routeCounts(metrics) {
    var model = $('model').value;
    return ROUTES.map(function (r) {
      return sum(metrics, 'coedge_inference_request_success_total', function (s) {
        return s.labels.route === r && (!model || s.labels.model === model);
      });
    });
  }

  function rate(now, before, dt) { return before === undefined || dt <= 0 ? null : Math.max(0, now - before) / dt; }

  function record(metrics, routing, t) {
    var counts = routeCounts(metrics);
    var offloads = sum(metrics, 'coedge_offload_total');
    var spend = sum(metrics, 'coedge_offload_cost_total');
    var prev = state.last, dt = prev ? t - prev.t : 0;
    push(hist.t, t);
    ROUTES.forEach(function (r, i) { push(hist.routes[i], rate(counts[i], prev && prev.counts[i], dt)); });
    push(hist.offloads, rate(offloads, prev && prev.offloads, dt));
    push(hist.spend, spend);
    push(hist.errLocal, routing.error.local === null ? null : 100 * routing.error.local);
    push(hist.errRemote, routing.error.remote === null ? null : 100 * routing.error.remote);
    state.last = { t: t, counts: counts, offloads: offloads, model: $('model').value };
    charts.routes.setData([hist.t].concat(hist.routes));
    charts.error.setData([hist.t, hist.errLocal, hist.errRemote]);
    charts.spend.setData([hist.t, hist.offloads, hist.spend]);
  }

  function renderNodes(table) {
    $('node').textContent = '— node ' + table.node + (table.joined ? '' : ' (not joined)');
    $('nodes').tBodies[0].innerHTML = table.nodes.map(function (n) {
      var inflight = 0, queued = 0, estimate = 0;
      n.models.forEach(function (m) {
        inflight += m.inflight; queued += m.queued; estimate = Math.max(estimate, m.estimateUs);
      });
      var models = n.models.map(function (m) { return esc(m.name) + ' (' + esc(m.version) + ')'; }).join(', ');
      return '<tr class="' + esc(n.state) + '" data-node="' + esc(n.id) + '"><td>' + esc(n.id) + '</td><td>'
        + esc(n.role) + '</td><td>' + esc(n.site) + '</td><td>' + esc(n.state) + '</td><td class="num">'
        + num(n.ageMs / 1000, 1) + ' s</td><td class="num">' + inflight + '</td><td class="num">' + queued
        + '</td><td class="num">' + num(estimate / 1000, 2) + ' ms</td><td>' + models + '</td><td>'
        + esc(n.build) + '</td></tr>';
    }).join('');
  }

  function renderModels(stats) {
    var select = $('model'), known = {};
    Array.prototype.forEach.call(select.options, function (o) { known[o.value] = true; });
    (stats.model_stats || []).forEach(function (s) {
      if (!known[s.name]) {
        known[s.name] = true;
        select.add(new Option(s.name, s.name));
      }
    });
    $('stats').tBodies[0].innerHTML = (stats.model_stats || []).map(function (s) {
      var i = s.inference_stats, ok = i.success.count;
      return '<tr><td>' + esc(s.name) + '</td><td>' + esc(s.version) + '</td><td class="num">' + ok
        + '</td><td class="num">' + i.fail.count + '</td><td class="num">'
        + num(ok ? i.queue.ns / ok / 1e6 : null, 2) + '</td><td class="num">'
        + num(ok ? i.compute_infer.ns / ok / 1e6 : null, 2) + '</td></tr>';
    }).join('');
  }

  function renderList(id, items) {
    $(id).innerHTML = items.length ? items.join('') : '<li class="none">none</li>';
  }

  function renderConflicts(versions) {
    renderList('conflicts', versions.conflicts.map(function (c) {
      return '<li class="bad">' + esc(c.kind) + ' ' + esc(c.name) + ' version ' + esc(c.version) + ': '
        + c.sha256.map(function (s) { return esc(s.substring(0, 12)); }).join(' ≠ ') + '</li>';
    }));
  }

  function renderPeers(routing) {
    renderList('peers', routing.peers.map(function (p) {
      return '<li class="' + (p.ejected ? 'bad' : '') + '">' + esc(p.id) + (p.ejected ? ': ejected' : ': eligible')
        + '</li>';
    }));
  }

  function poll() {
    var t = Date.now() / 1000;
    Promise.all([get('/v2/cluster/nodes'), get('/v2/cluster/versions'), get('/v2/models/stats'),
      get('/dashboard/routing'), get('/metrics', true)]).then(function (r) {
      renderNodes(r[0]);
      renderConflicts(r[1]);
      renderModels(r[2]);
      renderPeers(r[3]);
      record(parseMetrics(r[4]), r[3], t);
      state.polls++;
      $('status').className = 'status';
      $('status').textContent = 'updated ' + new Date().toLocaleTimeString() + ' (every ' + EVERY / 1000 + ' s)';
    }).catch(function (e) {
      state.errors++;
      $('status').className = 'status error';
      $('status').textContent = String(e.message || e);
    }).then(function () { setTimeout(poll, EVERY); });
  }

  $('model').addEventListener('change', function () {
    // The counters of another selection are not comparable: start the rate over.
    state.last = null;
  });
  $('key-form').addEventListener('submit', function (e) {
    e.preventDefault();
    state.key = $('key').value;
    sessionStorage.setItem('coedge-key', state.key);
    $('key-form').hidden = true;
  });

  window.coedgeDashboard = { state: state, history: hist, charts: charts };
  poll();
})();
