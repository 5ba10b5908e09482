(function () {
  function show(id) {
    document.querySelectorAll('.check-detail').forEach(function (d) { d.hidden = d.id !== id; });
    document.querySelectorAll('[data-check]').forEach(function (b) {
      b.classList.toggle('selected', b.getAttribute('data-check') === id);
    });
    var none = document.getElementById('no-selection');
    if (none) { none.hidden = true; }
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
  if (wanted && document.getElementById(wanted)) {
    show(wanted);
  } else if (first) {
    show(first.getAttribute('data-check'));
  }
})();
