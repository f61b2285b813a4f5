// Filters the data map in the page. Without script every row shows and the filter form stays hidden, so the
// report still reads in full. The hash can carry a filter (#filter=NHS&special=health&criminal=1) to share a view.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var table = document.getElementById('datamap-table');
  if (!form || !table || !table.tBodies.length) {
    return;
  }
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var el = form.elements;
  var count = document.getElementById('filter-count');
  var none = document.getElementById('filter-none');

  function hasWord(list, word) {
    return (' ' + list + ' ').indexOf(' ' + word + ' ') >= 0;
  }

  function apply() {
    var terms = el.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var special = el.special.value;
    var source = el.source.value;
    var shown = 0;
    rows.forEach(function (tr) {
      var d = tr.dataset;
      var text = tr.textContent.toLowerCase();
      var ok = terms.every(function (t) { return text.indexOf(t) >= 0; }) &&
        (special === '' || (special === 'any' ? d.special !== '' : hasWord(d.special, special))) &&
        (source === '' || d.source === source) &&
        (!el.criminal.checked || d.criminal === 'yes') &&
        (!el.high.checked || d.high === 'yes');
      tr.hidden = !ok;
      if (ok) {
        shown++;
      }
    });
    count.textContent = 'Showing ' + shown + ' of ' + rows.length + ' personal fields';
    none.hidden = shown !== 0;
  }

  // fromHash applies a filter carried in the address; a plain section anchor (#datamap) is left alone.
  function fromHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var keys = ['filter', 'special', 'source', 'criminal', 'high'];
    if (!keys.some(function (k) { return p.has(k); })) {
      return false;
    }
    el.q.value = p.get('filter') || '';
    el.special.value = p.get('special') || '';
    if (el.special.selectedIndex < 0) {
      el.special.value = '';
    }
    el.source.value = p.get('source') || '';
    if (el.source.selectedIndex < 0) {
      el.source.value = '';
    }
    el.criminal.checked = /^(1|yes|true)$/.test(p.get('criminal') || '');
    el.high.checked = /^(1|yes|true)$/.test(p.get('high') || '');
    return true;
  }

  form.addEventListener('input', apply);
  form.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  window.addEventListener('hashchange', function () {
    if (fromHash()) {
      apply();
    }
  });
  form.hidden = false;
  var fromLink = fromHash();
  apply();
  if (fromLink) {
    document.getElementById('datamap').scrollIntoView();
  }
}());
