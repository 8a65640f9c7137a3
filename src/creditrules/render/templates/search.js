// creditrules: the search box of a rendered page. Each item carrying data-search is kept
// when its text holds every word typed (ignoring case and full-width/half-width forms, so
// （九） matches (九)); the rest are hidden. `?q=` in the address fills the box.
(function () {
  "use strict";
  var box = document.getElementById("q");
  if (!box) {
    return;
  }
  var count = document.getElementById("q-count");
  var none = document.getElementById("q-none");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-search]"));
  function norm(text) {
    return text.normalize("NFKC").toLowerCase();
  }
  var texts = items.map(function (el) {
    return norm(el.getAttribute("data-search") || "");
  });
  function apply() {
    var words = norm(box.value).split(/\s+/).filter(function (w) {
      return w.length > 0;
    });
    var shown = 0;
    items.forEach(function (el, i) {
      var keep = words.every(function (w) {
        return texts[i].indexOf(w) !== -1;
      });
      el.hidden = !keep;
      if (keep) {
        shown += 1;
      }
    });
    count.textContent = "显示 " + shown + " / " + items.length;
    count.setAttribute("data-shown", String(shown));
    none.hidden = shown !== 0;
  }
  box.addEventListener("input", apply);
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) {
    box.value = asked;
  }
  apply();
})();
