(function () {
  // A big run's check details wait in a JSON block (HtmlRenderer.LAZY_ABOVE): a detail becomes a
  // node the first time it is shown.
  var lazy;
  function detailOf(id) {
    var d = document.getElementById(id);
    if (d || !id) { return d; }
    if (lazy === undefined) {
      var block = document.getElementById('check-details');
      lazy = block ? JSON.parse(block.textContent) : null;
    }
    if (!lazy || !Object.prototype.hasOwnProperty.call(lazy, id)) { return null; }
    d = document.createElement('div');
    d.className = 'check-detail';
    d.id = id;
    d.hidden = true;
    d.innerHTML = lazy[id];
    document.getElementById('detail').appendChild(d);
    return d;
  }
  var shown = null;
  var selected = [];
  function show(id) {
    var d = detailOf(id);
    if (!d) { return; }
    if (shown && shown !== d) { shown.hidden = true; }
    d.hidden = false;
    shown = d;
    selected.forEach(function (b) { b.classList.remove('selected'); });
    selected = Array.prototype.slice.call(
      document.querySelectorAll('[data-check="' + id.replace(/["\\]/g, '\\$&') + '"]'));
    selected.forEach(function (b) { b.classList.add('selected'); });
    var none = document.getElementById('no-selection');
    if (none) { none.hidden = true; }
    drawWalk(d.querySelector('.walk'));
  }
  // The shown check on the lab's drawing: the links its packets crossed in its colour, the rest
  // of its way dashed, the box where they stopped outlined (HtmlRenderer.walk, LabPaths).
  function drawWalk(w) {
    var svg = document.querySelector('svg.lab');
    if (!svg) { return; }
    Array.prototype.forEach.call(svg.querySelectorAll('.went, .untaken, .on, .stop'), function (e) {
      e.classList.remove('went', 'untaken', 'on', 'stop', 'ok', 'blocked', 'unexpected', 'error');
    });
    svg.classList.toggle('walking', !!w);
    if (!w) { return; }
    var went = parseInt(w.getAttribute('data-went'), 10);
    var mark = w.getAttribute('data-mark');
    w.getAttribute('data-links').split(' ').forEach(function (l, i) {
      var e = l && svg.querySelector('[data-link="' + l + '"]');
      if (!e) { return; }
      if (i < went) { e.classList.add('went', mark); } else { e.classList.add('untaken'); }
    });
    w.getAttribute('data-boxes').split(' ').forEach(function (b) {
      var e = svg.querySelector('[data-box="' + b.replace(/["\\]/g, '\\$&') + '"]');
      if (e) { e.classList.add('on'); }
    });
    var stop = w.getAttribute('data-stop');
    var s = stop && svg.querySelector('[data-box="' + stop.replace(/["\\]/g, '\\$&') + '"]');
    if (s) { s.classList.add('stop'); }
  }
  // A click anywhere in a cell opens its worst check; a click on a mark opens that check.
  function target(e) {
    var direct = e.target.closest('[data-check]');
    if (direct) { return direct; }
    var td = e.target.closest('table.heat td');
    return td && (td.querySelector('button.chk.unexpected, button.chk.error') ||
      td.querySelector('button.chk'));
  }
  document.addEventListener('click', function (e) {
    var t = target(e);
    if (t) { show(t.getAttribute('data-check')); }
  });
  document.addEventListener('keydown', function (e) {
    var edge = e.target.closest && e.target.closest('svg [data-check]');
    if (edge && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      show(edge.getAttribute('data-check'));
    }
  });
  // report.html#check-3 (or #pair-1) opens that check: links to one cell work.
  var wanted = location.hash.slice(1);
  var first = document.querySelector('button.chk.unexpected, button.chk.error');
  if (wanted && detailOf(wanted)) {
    show(wanted);
  } else if (first) {
    show(first.getAttribute('data-check'));
  }
})();
