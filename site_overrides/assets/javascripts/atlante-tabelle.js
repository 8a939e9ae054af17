/* Sorting and filtering of the Atlante index tables. Without JS the table stays complete;
   the filters are hidden until this script runs. Re-run on Material's instant navigation. */
(function () {
  "use strict";
  function testo(cella) {
    return cella.getAttribute("data-valore") || cella.textContent.trim();
  }
  function prepara(box) {
    if (box.getAttribute("data-pronta")) return;
    box.setAttribute("data-pronta", "1");
    var tabella = box.querySelector("table");
    var corpo = tabella.tBodies[0];
    var righe = Array.prototype.slice.call(corpo.rows);
    var filtri = box.querySelector(".atlante-filtri");
    var conteggio = box.querySelector(".atlante-conteggio");
    var selects = box.querySelectorAll("select[data-filtro]");
    function filtra() {
      var visibili = 0;
      righe.forEach(function (r) {
        var ok = true;
        selects.forEach(function (s) {
          if (s.value && (" " + (r.getAttribute("data-" + s.getAttribute("data-filtro")) || "") + " ").indexOf(" " + s.value + " ") < 0) ok = false;
        });
        r.hidden = !ok;
        if (ok) visibili++;
      });
      if (conteggio) conteggio.textContent = visibili + " su " + righe.length + " righe mostrate";
    }
    selects.forEach(function (s) { s.addEventListener("change", filtra); });
    if (filtri) filtri.hidden = false;
    var intestazioni = tabella.tHead.rows[0].cells;
    Array.prototype.forEach.call(intestazioni, function (th, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () {
        var verso = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(intestazioni, function (x) { x.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", verso);
        var segno = verso === "ascending" ? 1 : -1;
        righe.sort(function (a, c) {
          return segno * testo(a.cells[i]).localeCompare(testo(c.cells[i]), "it", { numeric: true, sensitivity: "base" });
        });
        righe.forEach(function (r) { corpo.appendChild(r); });
      });
    });
    filtra();
  }
  /* A table wider than the screen scrolls inside its box: the box must be reachable by keyboard
     (WCAG 2.1.1), so it gets a tab stop and a name, only while it actually scrolls. */
  function scorrevoli() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var didascalia = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (didascalia ? didascalia.textContent.trim() + ": " : "") +
          "tabella che scorre in orizzontale");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex"); box.removeAttribute("role"); box.removeAttribute("aria-label");
      }
    });
  }
  var attesa = null;
  window.addEventListener("resize", function () {
    clearTimeout(attesa);
    attesa = setTimeout(scorrevoli, 150);
  });
  function avvia() {
    document.querySelectorAll(".atlante-tabella").forEach(prepara);
    scorrevoli();
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(avvia);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", avvia);
  else avvia();
})();
