// Title suggestions as one types in the library's search boxes (issue #18). The pages work
// without it: the box is a plain search form. With it, each box marked data-suggest gets a
// <datalist> of titles from /library/suggest (accents folded); choosing one opens the article.
"use strict";
document.querySelectorAll("input[data-suggest]").forEach(function (input, i) {
  var list = document.createElement("datalist");
  list.id = "library-suggest-" + i;
  input.setAttribute("list", list.id);
  input.after(list);
  var urls = {};
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    var q = input.value.trim();
    if (urls[q]) {
      window.location.href = urls[q];
      return;
    }
    clearTimeout(timer);
    if (q.length < 2 || q === asked) {
      return;
    }
    timer = setTimeout(function () {
      asked = q;
      var url = "/library/suggest?q=" + encodeURIComponent(q);
      if (input.dataset.suggest) {
        url += "&c=" + encodeURIComponent(input.dataset.suggest);
      }
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) {
          if (input.value.trim() !== q) {
            return;
          }
          list.replaceChildren();
          urls = {};
          hits.forEach(function (h) {
            var o = document.createElement("option");
            o.value = h.title;
            o.label = h.collection;
            list.appendChild(o);
            urls[h.title] = h.url;
          });
        })
        .catch(function () {});
    }, 150);
  });
});
