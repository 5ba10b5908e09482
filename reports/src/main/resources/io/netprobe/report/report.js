(function () {
  var selected = null;
  function show(id) {
    document.querySelectorAll('.check-detail').forEach(function (d) { d.hidden = d.id !== id; });
    document.querySelectorAll('[data-check]').forEach(function (b) {
      b.classList.toggle('selected', b.getAttribute('data-check') === id);
    });
    var none = document.getElementById('no-selection');
    if (none) { none.hidden = true; }
    selected = id;
  }
  document.addEventListener('click', function (e) {
    var target = e.target.closest('[data-check]');
    if (target) { show(target.getAttribute('data-check')); }
  });
  var first = document.querySelector('button.chk.unexpected, button.chk.error');
  if (first) { show(first.getAttribute('data-check')); }
})();
