/* The site's search: the header dialog and the service finder ("Cerca un servizio", enti/).
 *
 * Both use Pagefind (the bundle in /pagefind/, built by atlante.motore.ricerca). Nothing of it is
 * downloaded until the visitor types in a search box (or opens a finder URL that carries a query
 * or filters). Every value from the index reaches the page as text (textContent), never as HTML;
 * the excerpt's <mark> tags are rebuilt from an inert parse.
 *
 * Query tokenisation mirrors the index side (atlante.motore.ricerca.ELISIONE): an elided article
 * or preposition glued to its word ("dell'anziano") is dropped, so the word itself is searched.
 */
(function () {
  "use strict";

  var radice = document.querySelector(".atlante-ricerca");
  if (!radice) { return; }
  var BASE = radice.getAttribute("data-base") || ".";
  var pagefind = null;

  function caricaPagefind() {
    if (!pagefind) {
      var url = new URL(BASE.replace(/\/?$/, "/") + "pagefind/pagefind.js", document.baseURI).href;
      var sito = new URL(BASE.replace(/\/?$/, "/"), document.baseURI).pathname;
      pagefind = import(url).then(function (pf) {
        return pf.options({ baseUrl: sito, excerptLength: 24 }).then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
    }
    return pagefind;
  }

  var ELISIONE = /[\p{L}]+['’](?=[\p{L}]{2})/gu;
  function normalizza(q) {
    return (q || "").replace(ELISIONE, " ").replace(/\s+/g, " ").trim();
  }
  window.atlanteNormalizzaRicerca = normalizza;  // for tests and other pages' scripts

  function el(tag, cls, testo) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (testo != null) { e.textContent = testo; }
    return e;
  }

  /* Pagefind's excerpt is HTML with <mark>; keep only its text and marks. */
  function estratto(html) {
    var frammento = document.createDocumentFragment();
    var doc = new DOMParser().parseFromString("<body>" + (html || "") + "</body>", "text/html");
    doc.body.childNodes.forEach(function (n) {
      if (n.nodeName === "MARK") { frammento.appendChild(el("mark", null, n.textContent)); }
      else { frammento.appendChild(document.createTextNode(n.textContent)); }
    });
    return frammento;
  }

  function numero(n, uno, molti) { return n === 1 ? "1 " + uno : n.toLocaleString("it-IT") + " " + molti; }

  /* -- the header dialog ------------------------------------------------------------------- */
  var dialogo = radice.querySelector("dialog");
  var apri = radice.querySelector(".atlante-ricerca-apri");
  var header = document.querySelector(".md-header__inner");
  if (header && apri && dialogo) {
    var dopo = header.querySelector(".md-header__source");
    header.insertBefore(apri, dopo || null);
    apri.hidden = false;
    var campo = dialogo.querySelector("input");
    var stato = dialogo.querySelector(".atlante-ricerca-stato");
    var lista = dialogo.querySelector(".atlante-ricerca-risultati");
    var alCercatore = dialogo.querySelector(".atlante-ricerca-al-cercatore");
    var cercatoreUrl = radice.getAttribute("data-cercatore");
    var turno = 0;
    var attesa = null;
    apri.addEventListener("click", function () {
      dialogo.showModal();
      campo.focus();
    });
    dialogo.querySelector(".atlante-ricerca-chiudi").addEventListener("click", function () { dialogo.close(); });
    dialogo.addEventListener("click", function (ev) { if (ev.target === dialogo) { dialogo.close(); } });
    // Escape closes the dialog also from the search box (where the browser would only clear it)
    dialogo.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { ev.preventDefault(); dialogo.close(); } });
    dialogo.addEventListener("close", function () { apri.focus(); });
    dialogo.querySelector("form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var primo = lista.querySelector("a");
      if (primo) { primo.focus(); }
    });
    document.addEventListener("keydown", function (ev) {
      var t = ev.target;
      var scrive = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
      if (ev.key === "/" && !scrive && !dialogo.open) { ev.preventDefault(); apri.click(); }
    });
    campo.addEventListener("input", function () {
      clearTimeout(attesa);
      attesa = setTimeout(cerca, 150);
    });

    function cerca() {
      var q = normalizza(campo.value);
      var mio = ++turno;
      alCercatore.href = cercatoreUrl + (q ? "?q=" + encodeURIComponent(campo.value.trim()) : "");
      if (!q) { lista.replaceChildren(); stato.textContent = ""; return; }
      stato.textContent = "Ricerca in corso…";
      caricaPagefind().then(function (pf) { return pf.search(q); }).then(function (r) {
        if (mio !== turno) { return null; }
        return Promise.all(r.results.slice(0, 10).map(function (x) { return x.data(); })).then(function (dati) {
          if (mio !== turno) { return; }
          lista.replaceChildren();
          dati.forEach(function (d) {
            var li = el("li", "atlante-ricerca-risultato");
            var a = el("a", null, (d.meta && d.meta.title) || d.url);
            a.href = d.url;
            li.appendChild(a);
            var info = [d.meta && d.meta.tipo, d.meta && d.meta.comune].filter(Boolean).join(" · ");
            if (info) { li.appendChild(el("span", "atlante-ricerca-info", info)); }
            var p = el("p", "atlante-ricerca-estratto");
            p.appendChild(estratto(d.excerpt));
            li.appendChild(p);
            lista.appendChild(li);
          });
          stato.textContent = r.results.length
            ? numero(r.results.length, "risultato", "risultati") + (r.results.length > 10 ? ": i primi 10" : "")
            : "Nessun risultato. Prova con un'altra parola o cerca per comune.";
        });
      }).catch(function () {
        if (mio === turno) { stato.textContent = "La ricerca non è disponibile in questo momento."; }
      });
    }
  }

  /* -- the service finder ------------------------------------------------------------------ */
  var cercatore = document.getElementById("atlante-cercatore");
  if (!cercatore) { return; }
  var soloJs = cercatore.querySelector(".atlante-ricerca-solo-js");
  soloJs.hidden = false;
  var modulo = cercatore.querySelector("form");
  var q = cercatore.querySelector("#atlante-cercatore-q");
  var vicino = cercatore.querySelector("#atlante-vicino-comune");
  var posizioneBtn = cercatore.querySelector(".atlante-vicino-posizione");
  var aperto = cercatore.querySelector("#atlante-aperto-ora");
  var statoF = cercatore.querySelector(".atlante-cercatore-stato");
  var schede = cercatore.querySelector(".atlante-schede-trovate");
  var altri = cercatore.querySelector(".atlante-altri");
  var TIPI = JSON.parse(cercatore.getAttribute("data-tipi") || "[]");
  var PAGINA = 20;
  var MAX_ORDINABILI = 300;  // "vicino a me" and "aperto ora" read up to this many results
  var miaPosizione = null;  // {lat, lon} from the browser: kept in this page only
  var turnoF = 0;
  var mostrati = [];
  var attesaF = null;
  var filtriCaricati = null;

  function selezionati() {
    var out = {};
    cercatore.querySelectorAll(".atlante-ricerca-filtro input:checked").forEach(function (i) {
      (out[i.name] = out[i.name] || []).push(i.value);
    });
    return out;
  }

  function filtriPagefind(sel) {
    var f = {};
    Object.keys(sel).forEach(function (k) { f[k] = { any: sel[k] }; });
    if (!f.tipo) { f.tipo = { any: TIPI }; }  // records only: every record has a kind
    if (aperto.checked) { f.orari = "con orari"; }
    return f;
  }

  function scriviUrl(sel) {
    var p = new URLSearchParams();
    if (q.value.trim()) { p.set("q", q.value.trim()); }
    Object.keys(sel).forEach(function (k) { sel[k].forEach(function (v) { p.append(k, v); }); });
    if (vicino.value) { p.set("vicino", vicino.value); }
    if (aperto.checked) { p.set("aperto", "1"); }
    var s = p.toString();
    history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash);
  }

  function leggiUrl() {
    var p = new URLSearchParams(location.search);
    q.value = p.get("q") || "";
    var vuoto = !q.value;
    cercatore.querySelectorAll(".atlante-ricerca-filtro input").forEach(function (i) {
      i.checked = p.getAll(i.name).indexOf(i.value) >= 0;
      if (i.checked) { vuoto = false; i.closest("details").open = true; }
    });
    if (p.get("vicino")) { vicino.value = p.get("vicino"); vuoto = vuoto && !vicino.value; }
    aperto.checked = p.get("aperto") === "1";
    return !(vuoto && !aperto.checked);
  }

  function aggiornaConteggi(conteggi) {
    cercatore.querySelectorAll(".atlante-ricerca-filtro input").forEach(function (i) {
      var span = i.parentNode.querySelector(".atlante-conteggio");
      var n = conteggi ? ((conteggi[i.name] || {})[i.value] || 0) : Number(span.getAttribute("data-totale"));
      span.textContent = "(" + n + ")";
      i.parentNode.classList.toggle("atlante-ricerca-filtro-vuoto", n === 0 && !i.checked);
    });
  }

  /* Distance in km between two points (haversine). */
  function distanza(a, b) {
    var r = Math.PI / 180;
    var dlat = (b.lat - a.lat) * r;
    var dlon = (b.lon - a.lon) * r;
    var h = Math.sin(dlat / 2) * Math.sin(dlat / 2) +
      Math.cos(a.lat * r) * Math.cos(b.lat * r) * Math.sin(dlon / 2) * Math.sin(dlon / 2);
    return 6371 * 2 * Math.asin(Math.sqrt(h));
  }

  function origine() {
    if (miaPosizione) { return miaPosizione; }
    var o = vicino.selectedOptions[0];
    if (!o || !o.value) { return null; }
    return { lat: Number(o.getAttribute("data-lat")), lon: Number(o.getAttribute("data-lon")), nome: o.value };
  }

  /* Now in Europe/Rome: [day 0 = Monday, minutes since midnight]. */
  function adesso() {
    var parti = {};
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Rome", weekday: "short", hour: "2-digit",
      minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date()).forEach(function (p) { parti[p.type] = p.value; });
    var giorni = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
    return [giorni[parti.weekday], Number(parti.hour) * 60 + Number(parti.minute)];
  }

  /* The compact week of atlante.base.orari.settimana_compatta: "aperto", "chiuso" or "verificare". */
  function statoOrari(compatta) {
    if (!compatta) { return null; }
    var incerto = compatta.charAt(0) === "?";
    var ora = adesso();
    var aperta = (incerto ? compatta.slice(1) : compatta).split("|").some(function (g) {
      var parti = g.split(":");
      if (Number(parti[0]) !== ora[0] || !parti[1]) { return false; }
      return parti[1].split(",").some(function (f) {
        var m = f.split("-").map(Number);
        return ora[1] >= m[0] && ora[1] < m[1];
      });
    });
    if (incerto) { return "verificare"; }
    return aperta ? "aperto" : "chiuso";
  }

  function scheda(d) {
    var m = d.meta || {};
    var li = el("li", "atlante-scheda-trovata");
    var h = el("h3");
    var a = el("a", null, m.title || d.url);
    a.href = d.url;
    h.appendChild(a);
    li.appendChild(h);
    li.appendChild(el("p", "atlante-scheda-tipo", [m.tipo, m.comune].filter(Boolean).join(" · ")));
    if (m.indirizzo) { li.appendChild(el("p", "atlante-scheda-indirizzo", m.indirizzo + (m.comune ? ", " + m.comune : ""))); }
    if (m.tel && m.telefono) {
      var p = el("p", "atlante-scheda-telefono", "Telefono: ");
      var t = el("a", null, m.telefono);
      t.href = m.tel;
      p.appendChild(t);
      li.appendChild(p);
    }
    if (d.distanza != null) {
      li.appendChild(el("p", "atlante-scheda-distanza", "A " + d.distanza.toLocaleString("it-IT",
        { maximumFractionDigits: 1 }) + " km" + (m.approssimata ? " (posizione approssimata: centro del comune)" : "")));
    }
    if (d.orario === "aperto") { li.appendChild(el("p", "atlante-scheda-aperto", "Aperto ora")); }
    if (d.orario === "verificare") { li.appendChild(el("p", "atlante-scheda-verificare", "Orario da verificare")); }
    return li;
  }

  function mostra(dati, da) {
    dati.slice(da, da + PAGINA).forEach(function (d) { schede.appendChild(scheda(d)); });
    altri.hidden = dati.length <= da + PAGINA;
  }

  function cercaF() {
    var sel = selezionati();
    scriviUrl(sel);
    var testo = normalizza(q.value);
    var mio = ++turnoF;
    var o = origine();
    statoF.textContent = "Ricerca in corso…";
    caricaPagefind().then(function (pf) {
      // Pagefind counts only the filters it has loaded: load them all once, for the counts
      filtriCaricati = filtriCaricati || pf.filters();
      return filtriCaricati.then(function () { return pf; });
    }).then(function (pf) {
      return pf.search(testo || null, { filters: filtriPagefind(sel) });
    }).then(function (r) {
      if (mio !== turnoF) { return null; }
      aggiornaConteggi(r.filters);
      var ordina = !!o || aperto.checked;
      var quanti = ordina ? Math.min(r.results.length, MAX_ORDINABILI) : Math.min(r.results.length, PAGINA);
      return Promise.all(r.results.slice(0, quanti).map(function (x) { return x.data(); })).then(function (dati) {
        if (mio !== turnoF) { return; }
        var lista = dati.map(function (d) { return { url: d.url, meta: d.meta, risultato: d }; });
        if (aperto.checked) {
          lista.forEach(function (d) { d.orario = statoOrari(d.meta.orari); });
          lista = lista.filter(function (d) { return d.orario === "aperto" || d.orario === "verificare"; });
          lista.sort(function (a, b) { return (a.orario === "aperto" ? 0 : 1) - (b.orario === "aperto" ? 0 : 1); });
        }
        if (o) {
          lista.forEach(function (d) {
            d.distanza = d.meta.lat ? distanza(o, { lat: Number(d.meta.lat), lon: Number(d.meta.lon) }) : null;
          });
          lista.sort(function (a, b) {
            var ka = (aperto.checked && a.orario !== "aperto") ? 1 : 0;
            var kb = (aperto.checked && b.orario !== "aperto") ? 1 : 0;
            return (ka - kb) || ((a.distanza == null ? 1e9 : a.distanza) - (b.distanza == null ? 1e9 : b.distanza));
          });
        }
        mostrati = ordina ? lista : r.results;
        schede.replaceChildren();
        var testoStato;
        if (ordina) {
          mostra(lista, 0);
          testoStato = numero(lista.length, "scheda", "schede") + (aperto.checked ? " aperte ora o con orario da verificare" : "");
          if (r.results.length > MAX_ORDINABILI) {
            testoStato += " tra le " + MAX_ORDINABILI + " più pertinenti su " + r.results.length.toLocaleString("it-IT") +
              ": aggiungi una parola o un filtro per restringere";
          }
          if (o) { testoStato += ", dalla più vicina a " + (o.nome || "la tua posizione"); }
        } else {
          lista.forEach(function (d) { schede.appendChild(scheda(d)); });
          altri.hidden = r.results.length <= PAGINA;
          testoStato = numero(r.results.length, "scheda trovata", "schede trovate");
        }
        statoF.textContent = testoStato + ".";
        schede.setAttribute("data-mostrati", String(schede.children.length));
      });
    }).catch(function () {
      if (mio === turnoF) { statoF.textContent = "La ricerca non è disponibile in questo momento."; }
    });
  }

  altri.addEventListener("click", function () {
    var da = schede.children.length;
    if (mostrati.length && mostrati[0].meta) { mostra(mostrati, da); return; }
    Promise.all(mostrati.slice(da, da + PAGINA).map(function (x) { return x.data(); })).then(function (dati) {
      dati.forEach(function (d) { schede.appendChild(scheda({ url: d.url, meta: d.meta })); });
      altri.hidden = mostrati.length <= schede.children.length;
    });
  });

  function presto() { clearTimeout(attesaF); attesaF = setTimeout(cercaF, 200); }
  modulo.addEventListener("submit", function (ev) { ev.preventDefault(); cercaF(); });
  q.addEventListener("input", presto);
  cercatore.querySelectorAll(".atlante-ricerca-filtro input").forEach(function (i) { i.addEventListener("change", cercaF); });
  vicino.addEventListener("change", function () { miaPosizione = null; cercaF(); });
  aperto.addEventListener("change", cercaF);
  if (!("geolocation" in navigator)) { posizioneBtn.hidden = true; }
  posizioneBtn.addEventListener("click", function () {
    statoF.textContent = "Chiedo la posizione al browser…";
    navigator.geolocation.getCurrentPosition(function (p) {
      miaPosizione = { lat: p.coords.latitude, lon: p.coords.longitude };
      vicino.value = "";
      cercaF();
    }, function () {
      statoF.textContent = "Posizione non disponibile: scegli un comune dall'elenco.";
    }, { maximumAge: 600000, timeout: 15000 });
  });
  if (leggiUrl()) { cercaF(); }
})();
